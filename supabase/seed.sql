-- Demo data for a local database: one workspace, a simulator number and a published flow.
-- The admin user is created by the API at first start (PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD).
insert into workspaces (id, name) values ('00000000-0000-4000-8000-000000000001', 'Demo workspace')
  on conflict (id) do nothing;

insert into numbers (id, workspace_id, phone, label, channel)
  values ('00000000-0000-4000-8000-000000000010', '00000000-0000-4000-8000-000000000001', 'simulator', 'Simulator', 'simulator')
  on conflict (id) do nothing;
