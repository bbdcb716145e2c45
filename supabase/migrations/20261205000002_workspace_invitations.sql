-- Invitations to join a workspace. Adding a person by email never reveals whether they already have
-- an account: the admin gets the same pending invitation either way, and the person joins only when
-- they accept it after signing in. Revoking deletes the row (the audit log keeps the record).
create table workspace_invitations (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  email text not null,
  role text not null check (role in ('admin', 'editor', 'viewer')),
  invited_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  declined_at timestamptz,
  check (accepted_at is null or declined_at is null)
);
-- At most one open invitation per person and workspace; also what an invitee's list reads.
create unique index workspace_invitations_open_key on workspace_invitations (workspace_id, lower(email))
  where accepted_at is null and declined_at is null;
create index workspace_invitations_email_idx on workspace_invitations (lower(email))
  where accepted_at is null and declined_at is null;

alter table workspace_invitations enable row level security;
