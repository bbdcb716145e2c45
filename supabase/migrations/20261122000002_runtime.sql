-- What the runtime needs to survive restarts: engine checkpoints, timers, pending http calls.

-- The engine state of one (number, contact): the checkpoint written with every step.
create table contact_states (
  number_id uuid not null references numbers (id) on delete cascade,
  contact text not null,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  state jsonb not null,
  -- Bumped by every checkpoint; a writer whose expected version is stale loses (fencing).
  version bigint not null,
  -- The flow version the latest conversation is pinned to.
  flow_version_id uuid references flow_versions (id) on delete set null,
  conversation_id uuid references conversations (id) on delete set null,
  updated_at timestamptz not null default now(),
  primary key (number_id, contact)
);

-- The next timer (reminder, expiry, delay) of a contact's conversation.
create table timers (
  number_id uuid not null references numbers (id) on delete cascade,
  contact text not null,
  due_at timestamptz not null,
  primary key (number_id, contact)
);
create index timers_due_idx on timers (due_at);

-- http_request calls decided by the engine and not yet answered: re-run after a crash.
create table pending_effects (
  request_id text primary key,
  number_id uuid not null references numbers (id) on delete cascade,
  contact text not null,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  payload jsonb not null,
  created_at timestamptz not null default now()
);
create index pending_effects_created_idx on pending_effects (created_at);
