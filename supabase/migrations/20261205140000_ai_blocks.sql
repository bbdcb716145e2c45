-- AI blocks: the workspace's monthly token quota, which block each model call served, and the
-- notes of a conversation (tool calls, failures) that the transcript shows between its messages.

-- Tokens (in + out) the workspace's AI blocks may use per calendar month (UTC); null: no limit.
alter table workspaces
  add column ai_monthly_token_quota bigint check (ai_monthly_token_quota is null or ai_monthly_token_quota > 0);

-- The block that made the call, and why it failed (a ModelError code or Parley's own reason).
alter table ai_usage
  add column node_id text check (node_id is null or length(node_id) <= 200),
  add column error_code text check (error_code is null or length(error_code) <= 40),
  add column latency_ms integer check (latency_ms is null or latency_ms >= 0);

-- What the admin should know about a step, which the contact does not see (the engine's turn
-- notes): written with the step's checkpoint, shown in the transcript after `after_message_id`
-- (the conversation's last message row written before it; null: before any message).
create table conversation_notes (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  conversation_id uuid not null references conversations (id) on delete cascade,
  node_id text not null check (length(node_id) <= 200),
  kind text not null check (
    kind in (
      'http_failed', 'answer_refused', 'ended_with_fallback', 'empty_variable',
      'ai_tool_call', 'ai_failed', 'ai_refused', 'ai_retried'
    )
  ),
  text text not null check (length(text) <= 4000),
  after_message_id bigint,
  at timestamptz not null default now()
);
create index conversation_notes_conversation_idx on conversation_notes (conversation_id, id);
alter table conversation_notes enable row level security;
