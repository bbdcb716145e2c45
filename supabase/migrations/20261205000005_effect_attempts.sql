-- Each http_request effect counts its attempts durably, so a call that keeps failing to produce a
-- storable result (or whose runtime keeps dying mid-call) is tried a bounded number of times, then
-- the flow follows its failure path. last_attempt_at spaces re-runs of an unanswered call.
alter table pending_effects add column if not exists attempts integer not null default 0;
alter table pending_effects add column if not exists last_attempt_at timestamptz;
