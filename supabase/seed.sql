-- Demo data for a local Supabase stack (`supabase start`, `supabase db reset`): one workspace and a
-- simulator number. The admin user is created by the API at first start (PARLEY_ADMIN_EMAIL /
-- PARLEY_ADMIN_PASSWORD). Runs as the tables' owner, which row-level security does not restrict.
insert into workspaces (id, name) values ('00000000-0000-4000-8000-000000000001', 'Demo workspace')
  on conflict (id) do nothing;

insert into numbers (id, workspace_id, phone, label, channel)
  values ('00000000-0000-4000-8000-000000000010', '00000000-0000-4000-8000-000000000001', 'simulator', 'Simulator', 'simulator')
  on conflict (id) do nothing;
