-- Conversation tests attached to a flow (the `parley test` scenario format without its flow), the
-- flow's test settings (publish gate, schedule) and the runs' results.
create table flow_tests (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  flow_id uuid not null references flows (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  contact jsonb not null default '{}'::jsonb,
  turns jsonb not null,
  result jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index flow_tests_flow_idx on flow_tests (flow_id, created_at);
alter table flow_tests enable row level security;

create table flow_test_settings (
  flow_id uuid primary key references flows (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  -- A publish first runs the draft's tests, and any failure refuses it.
  must_pass_to_publish boolean not null default false,
  -- Runs the published version's tests every N minutes; null is off.
  every_minutes integer check (every_minutes between 5 and 10080),
  -- Scheduled runs act as the person who set the schedule (their session records, their audit).
  scheduled_by uuid references users (id) on delete set null,
  next_run_at timestamptz,
  updated_at timestamptz not null default now()
);
create index flow_test_settings_due_idx on flow_test_settings (next_run_at) where every_minutes is not null;
alter table flow_test_settings enable row level security;

create table flow_test_runs (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  flow_id uuid not null references flows (id) on delete cascade,
  -- 0 for the draft, as in flow_versions.
  version integer not null check (version >= 0),
  reason text not null check (reason in ('manual', 'schedule', 'publish')),
  passed boolean not null,
  -- [{ testId, name, passed, differences: [line…] }]
  results jsonb not null,
  created_by uuid references users (id) on delete set null,
  started_at timestamptz not null,
  finished_at timestamptz not null default now()
);
create index flow_test_runs_flow_idx on flow_test_runs (flow_id, started_at desc);
alter table flow_test_runs enable row level security;
