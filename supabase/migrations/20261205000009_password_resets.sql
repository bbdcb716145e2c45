-- One-time password resets an admin hands to a person: only a hash of the code is kept, each
-- works once and expires, and a newer one replaces the ones before it.
create table password_resets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  code_hash text not null unique,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_resets_user_idx on password_resets (user_id);
alter table password_resets enable row level security;
