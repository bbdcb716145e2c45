-- Row-level security on every table, with no policies. Parley connects as the tables' owner (on
-- Supabase: the postgres connection string), which row-level security does not restrict, so Parley
-- works as before. Any other role sees no rows and can change none: on Supabase, the project's
-- public anon key (roles anon and authenticated, through the Data API or GraphQL) reads nothing,
-- even though Supabase grants those roles privileges on every table in `public`.
-- Every later migration that creates a table enables row-level security on it too (a test checks).
alter table workspaces enable row level security;
alter table users enable row level security;
alter table workspace_members enable row level security;
alter table numbers enable row level security;
alter table flows enable row level security;
alter table flow_versions enable row level security;
alter table number_flows enable row level security;
alter table conversations enable row level security;
alter table messages enable row level security;
alter table responses enable row level security;
alter table audit_log enable row level security;
alter table session_events enable row level security;
alter table contact_states enable row level security;
alter table timers enable row level security;
alter table pending_effects enable row level security;
alter table auth_sessions enable row level security;
alter table node_visits enable row level security;
alter table whatsapp_sessions enable row level security;
alter table whatsapp_leases enable row level security;
alter table whatsapp_sent enable row level security;
