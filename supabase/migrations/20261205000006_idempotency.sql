-- Writes a client may retry (Idempotency-Key header): the first request claims the key, and its
-- answer is kept so a retry with the same key and body gets the same answer instead of doing the
-- work twice. Keys belong to one user in one workspace and are forgotten after 24 hours.
create table idempotency_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  key text not null,
  -- sha256 of the method, path and body: the same key with another request is refused.
  request_hash text not null,
  -- null while the first request runs (or when it left the work pending, e.g. a reply not ready yet).
  status integer,
  response jsonb,
  -- The API process running the request and until when it may: a crashed holder's claim lapses.
  holder text,
  locked_until timestamptz not null default now(),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id, key)
);

-- Expired keys are deleted oldest first as new keys arrive.
create index idempotency_keys_created_idx on idempotency_keys (created_at);

alter table idempotency_keys enable row level security;
