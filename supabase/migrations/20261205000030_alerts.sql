-- Alert rules per workspace and the alerts they open. An evaluator in one API process at a time
-- checks each enabled rule every minute; an alert stays open, once per (rule, subject), until its
-- condition clears. Every notice (opened, resolved) on every channel (webhook, email) is a delivery
-- row with its own status, so a failed send shows on the alert instead of vanishing.
create table alert_rules (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('number_down', 'flow_failure_rate', 'handoff_waiting', 'outbox_backlog', 'memory_restarts')),
  -- minutes, percent, windowMinutes, count: which ones a kind reads is in the API's alert service.
  params jsonb not null default '{}'::jsonb,
  enabled boolean not null default true,
  webhook_url text,
  emails text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index alert_rules_workspace_idx on alert_rules (workspace_id, created_at);
alter table alert_rules enable row level security;

create table alerts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  rule_id uuid not null references alert_rules (id) on delete cascade,
  -- What the alert is about, e.g. `number:<id>`; one open alert per rule and subject.
  subject text not null,
  message text not null,
  opened_at timestamptz not null default now(),
  resolved_at timestamptz
);
create unique index alerts_open_key on alerts (rule_id, subject) where resolved_at is null;
create index alerts_workspace_idx on alerts (workspace_id, opened_at desc);
alter table alerts enable row level security;

create table alert_deliveries (
  id bigint generated always as identity primary key,
  alert_id uuid not null references alerts (id) on delete cascade,
  event text not null check (event in ('opened', 'resolved')),
  channel text not null check (channel in ('webhook', 'email')),
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  updated_at timestamptz not null default now()
);
create index alert_deliveries_due_idx on alert_deliveries (next_attempt_at) where status = 'pending';
create index alert_deliveries_alert_idx on alert_deliveries (alert_id);
alter table alert_deliveries enable row level security;
