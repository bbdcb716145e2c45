-- Which nodes each conversation entered (and answered): the drop-off funnel per node.
create table node_visits (
  conversation_id uuid not null references conversations (id) on delete cascade,
  node_id text not null,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  visits integer not null default 1,
  answered boolean not null default false,
  first_at timestamptz not null default now(),
  primary key (conversation_id, node_id)
);
