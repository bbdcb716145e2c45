-- A session opened with a one-time password (a reset code typed at sign-in) must choose a new
-- password before anything else; it may do so without the old one, which the person has lost.
alter table auth_sessions add column password_change_required boolean not null default false;
