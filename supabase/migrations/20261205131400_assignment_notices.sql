-- A person given a conversation by someone else is told by email, once per assignment even with
-- several API processes: the first process to record the assignment's audit entry here sends it.
create table assignment_notices (
  audit_id bigint primary key references audit_log (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  status text not null default 'sending' check (status in ('sending', 'sent', 'failed')),
  last_error text,
  created_at timestamptz not null default now()
);
alter table assignment_notices enable row level security;
