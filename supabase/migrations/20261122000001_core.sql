-- Parley core data model. Plain Postgres 15 (no Supabase-only features), so it runs on Supabase,
-- any Postgres 15+, and the embedded PGlite. Every row carries workspace_id; the API scopes by it.

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- Conversations, messages and responses older than this are purged/anonymised (null: kept).
  retention_days integer check (retention_days is null or retention_days > 0),
  -- Signs http_request calls (x-parley-signature) when set.
  signing_secret text,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  password_hash text,
  supabase_user_id uuid unique,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now()
);
create unique index users_email_key on users (lower(email));

create table workspace_members (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('admin', 'editor', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);
create index workspace_members_user_idx on workspace_members (user_id);

create table numbers (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  -- E.164 for WhatsApp numbers; any label for simulator numbers.
  phone text not null,
  label text,
  channel text not null default 'whatsapp' check (channel in ('whatsapp', 'simulator')),
  -- disconnected, starting, qr_pending, connected, reconnecting, logged_out, failed
  state text not null default 'disconnected',
  -- Whether an admin asked for this number to be connected (runtimes pick these up).
  desired_connected boolean not null default false,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, phone)
);

create table flows (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  draft jsonb not null,
  -- Changes with every draft save; If-Match on PUT compares it (optimistic concurrency).
  draft_etag text not null default md5(gen_random_uuid()::text),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Deleted flows disappear from the editor but keep their versions, conversations and answers.
  deleted_at timestamptz
);
create index flows_workspace_idx on flows (workspace_id, updated_at desc) where deleted_at is null;

create table flow_versions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  flow_id uuid not null references flows (id) on delete cascade,
  -- 1, 2, 3… for publishes; 0 for draft snapshots (what a simulator session of the draft runs).
  version integer not null check (version >= 0),
  status text not null check (status in ('draft', 'published', 'archived')),
  definition jsonb not null,
  -- deriveForm(definition).answersSchema, kept for exports and answer checks.
  answers_schema jsonb not null default '{}'::jsonb,
  checksum text not null,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  check ((status = 'draft') = (version = 0))
);
create unique index flow_versions_number_key on flow_versions (flow_id, version) where status <> 'draft';
-- At most one published version per flow.
create unique index flow_versions_published_key on flow_versions (flow_id) where status = 'published';

-- A simulator session's number runs one version (a draft snapshot or a chosen one), not the published one.
alter table numbers add column pinned_version_id uuid references flow_versions (id) on delete cascade;

create table number_flows (
  number_id uuid primary key references numbers (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  flow_id uuid not null references flows (id) on delete cascade,
  updated_at timestamptz not null default now()
);
create index number_flows_flow_idx on number_flows (flow_id);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  number_id uuid not null references numbers (id) on delete cascade,
  -- The contact's phone (E.164) or channel id.
  contact text not null,
  contact_name text,
  flow_id uuid not null references flows (id) on delete cascade,
  flow_version_id uuid not null references flow_versions (id) on delete cascade,
  -- The engine's id (the id of the message that started it), unique per number.
  engine_id text not null,
  status text not null check (status in ('active', 'completed', 'failed', 'handoff', 'expired', 'abandoned')),
  current_node text,
  variables jsonb not null default '{}'::jsonb,
  -- Current question answers, saved as they arrive (partial answers stay queryable).
  answers jsonb not null default '{}'::jsonb,
  end_reason text,
  is_test boolean not null default false,
  started_at timestamptz not null,
  updated_at timestamptz not null default now(),
  ended_at timestamptz,
  unique (number_id, engine_id)
);
create index conversations_workspace_started_idx on conversations (workspace_id, started_at desc);
create index conversations_flow_idx on conversations (flow_id, started_at desc);
create index conversations_number_contact_idx on conversations (number_id, contact, started_at desc);
create index conversations_status_idx on conversations (workspace_id, status);

create table messages (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  number_id uuid not null references numbers (id) on delete cascade,
  contact text not null,
  conversation_id uuid references conversations (id) on delete cascade,
  direction text not null check (direction in ('in', 'out')),
  -- Inbound: the channel's message id (dedupe). Outbound: set once sent.
  wa_message_id text,
  -- Outbound: unique key so a retry after a crash never sends twice.
  idempotency_key text unique,
  type text not null default 'text',
  body jsonb not null,
  -- in: received | processed; out: queued | sending | sent | delivered | read | failed
  status text not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index messages_wa_id_key on messages (number_id, direction, wa_message_id) where wa_message_id is not null;
create index messages_conversation_idx on messages (conversation_id, id);
-- The inbox: inbound messages not yet handled by the engine.
create index messages_inbox_idx on messages (number_id, contact, id) where direction = 'in' and status = 'received';
-- The outbox: outbound messages waiting to be sent.
create index messages_outbox_idx on messages (number_id, id) where direction = 'out' and status in ('queued', 'sending');

create table responses (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  conversation_id uuid not null unique references conversations (id) on delete cascade,
  flow_id uuid not null references flows (id) on delete cascade,
  flow_version_id uuid not null references flow_versions (id) on delete cascade,
  answers jsonb not null,
  is_test boolean not null default false,
  completed_at timestamptz not null default now()
);
create index responses_flow_completed_idx on responses (flow_id, completed_at desc);

create table audit_log (
  id bigint generated always as identity primary key,
  workspace_id uuid references workspaces (id) on delete cascade,
  user_id uuid references users (id) on delete set null,
  action text not null,
  entity text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  at timestamptz not null default now()
);
create index audit_log_workspace_idx on audit_log (workspace_id, at desc);

create table session_events (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  number_id uuid not null references numbers (id) on delete cascade,
  state text not null,
  detail jsonb not null default '{}'::jsonb,
  owner text,
  at timestamptz not null default now()
);
create index session_events_number_idx on session_events (number_id, at desc);
