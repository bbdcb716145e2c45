-- When an admin released a hand-off back to the bot. A released hand-off keeps its status
-- (it was handed off) but no longer waits for a person: lists and counts of waiting hand-offs
-- leave it out.
alter table conversations add column released_at timestamptz;
create index conversations_waiting_handoff_idx on conversations (workspace_id, started_at desc)
  where status = 'handoff' and released_at is null;
