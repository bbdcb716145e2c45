-- WhatsApp sessions: each number's linked-device session, who may drive it, and what it sent.

-- One row per number: the session part of its Chromium profile (IndexedDB and Local Storage),
-- packed, gzipped and encrypted with AES-256-GCM (docs/whatsapp.md). Replaced whole by one
-- statement, so a crash mid-save leaves the previous session in place, never an empty one.
create table whatsapp_sessions (
  number_id uuid primary key references numbers (id) on delete cascade,
  workspace_id uuid not null references workspaces (id) on delete cascade,
  -- Bumped by every save; a runtime's profile dir records the version it derives from.
  version bigint not null,
  -- Which key encrypted `data` (a fingerprint, never the key): rotation re-encrypts on save.
  key_id text not null,
  data bytea not null,
  plain_bytes bigint not null,
  saved_by text,
  saved_at timestamptz not null default now()
);

-- The fencing token of each number's ownership, bumped at every acquisition of its lease. A
-- runtime sends and saves the session only while the token it got is still the current one.
create table whatsapp_leases (
  number_id uuid primary key references numbers (id) on delete cascade,
  fence bigint not null,
  owner text not null,
  acquired_at timestamptz not null default now()
);

-- What went out on WhatsApp for each outbound message (one row per part), written right after
-- each send: a retry after a crash finds it instead of sending twice, and a poll vote finds the
-- choices of its poll.
create table whatsapp_sent (
  number_id uuid not null references numbers (id) on delete cascade,
  idempotency_key text not null,
  part integer not null,
  wa_message_id text not null,
  -- For a poll: whether it takes several answers (its choices are in the message's body).
  poll_multiple boolean,
  sent_at timestamptz not null default now(),
  primary key (number_id, idempotency_key, part)
);
create index whatsapp_sent_wa_idx on whatsapp_sent (number_id, wa_message_id);
