-- API keys: a workspace's credentials for analysts' scripts and integrations (CI that publishes
-- flows). Only a sha256 of each key is kept (keys are 256 random bits, so a plain hash leaves the
-- table useless to whoever reads it); the short prefix is not secret and tells keys apart in lists.
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null,
  role text not null check (role in ('viewer', 'editor')),
  prefix text not null,
  key_hash text not null unique,
  -- What a key does is recorded under the admin who made it: it goes with their account.
  created_by uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_workspace_idx on api_keys (workspace_id, created_at);
alter table api_keys enable row level security;
