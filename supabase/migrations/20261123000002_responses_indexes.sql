-- Partial answers of a flow (unfinished conversations that hold at least one answer), newest first:
-- the responses list and the exports page through them by (started_at, id) without walking past
-- the flow's completed conversations.
create index conversations_flow_partial_idx on conversations (flow_id, started_at desc, id desc)
  where status <> 'completed' and answers <> '{}'::jsonb;
