-- The live inbox: people answer hand-offs from Parley on the same WhatsApp number.

-- A role for people who answer contacts but do not build flows (ranked between viewer and editor).
alter table workspace_members drop constraint workspace_members_role_check;
alter table workspace_members add constraint workspace_members_role_check
  check (role in ('admin', 'editor', 'agent', 'viewer'));
alter table workspace_invitations drop constraint workspace_invitations_role_check;
alter table workspace_invitations add constraint workspace_invitations_role_check
  check (role in ('admin', 'editor', 'agent', 'viewer'));

-- Who holds a hand-off, since when, and how far the people have read it. One holder at a time:
-- a person takes or is given the conversation; a second one sees who holds it.
alter table conversations
  add column handoff_at timestamptz,
  add column assigned_user_id uuid references users (id) on delete set null,
  add column assigned_at timestamptz,
  add column first_agent_reply_at timestamptz,
  -- Contact messages with a larger id than this are unread in the inbox.
  add column read_message_id bigint;
create index conversations_inbox_idx on conversations (workspace_id, handoff_at)
  where status = 'handoff' and released_at is null;
create index conversations_assigned_idx on conversations (assigned_user_id)
  where assigned_user_id is not null;

-- Replies an agent picks instead of typing them again.
create table saved_replies (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  title text not null check (length(title) between 1 and 100),
  body text not null check (length(body) between 1 and 4096),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index saved_replies_title_key on saved_replies (workspace_id, lower(title));
alter table saved_replies enable row level security;

-- When people answer (null: always), and what a contact is told outside those hours.
-- {"timeZone": "Europe/Lisbon", "days": {"mon": [{"from": "09:00", "to": "17:00"}], …},
--  "closedText": "…"}
alter table workspaces add column business_hours jsonb;

-- A hand-off becomes an alert the moment it starts (webhook and email), besides the waiting one.
alter table alert_rules drop constraint alert_rules_kind_check;
alter table alert_rules add constraint alert_rules_kind_check check (kind in (
  'number_down', 'flow_failure_rate', 'handoff_waiting', 'outbox_backlog', 'memory_restarts',
  'conversation_tests_failed', 'handoff_started'
));
