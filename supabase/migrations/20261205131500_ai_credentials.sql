-- AI providers: the keys a workspace's AI blocks call models with, and what each call used.

-- One row per provider account an admin added. The key is sealed with the secret cipher (bound to
-- the workspace and the row), never returned by the API; the base URL is only for
-- OpenAI-compatible servers (Ollama, vLLM, LM Studio) or a proxy in front of a provider.
create table ai_credentials (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  kind text not null check (kind in ('openai', 'anthropic', 'google', 'openai_compatible')),
  base_url text check (base_url is null or length(base_url) <= 2000),
  -- `sealed:…` (SecretCipher.sealText); null for a local server that needs no key.
  api_key text,
  default_model text check (default_model is null or length(default_model) between 1 and 200),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (kind <> 'openai_compatible' or base_url is not null)
);
create unique index ai_credentials_name_key on ai_credentials (workspace_id, lower(name));
alter table ai_credentials enable row level security;

-- One row per model call, for usage by workspace, flow and conversation and the monthly quota.
-- Kept when the flow, the conversation or the credential goes: the tokens were still spent.
create table ai_usage (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  credential_id uuid references ai_credentials (id) on delete set null,
  flow_id uuid references flows (id) on delete set null,
  conversation_id uuid references conversations (id) on delete set null,
  kind text not null check (kind in ('openai', 'anthropic', 'google', 'openai_compatible')),
  model text not null,
  input_tokens integer not null check (input_tokens >= 0),
  output_tokens integer not null check (output_tokens >= 0),
  -- Estimated from the price table; null when Parley does not know the model's price.
  cost_usd numeric(14, 6),
  at timestamptz not null default now()
);
create index ai_usage_workspace_at_idx on ai_usage (workspace_id, at);
create index ai_usage_flow_idx on ai_usage (flow_id, at) where flow_id is not null;
create index ai_usage_conversation_idx on ai_usage (conversation_id) where conversation_id is not null;
alter table ai_usage enable row level security;
