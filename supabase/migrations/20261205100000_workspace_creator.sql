-- Who created a workspace (null for the first one, made at install, and once that account is
-- gone): how many workspaces one person may create is capped.
alter table workspaces add column created_by uuid references users (id) on delete set null;
create index workspaces_created_by_idx on workspaces (created_by) where created_by is not null;
