-- Why a number's WhatsApp session is in its state, in plain words with the next step
-- ({code, message, nextStep, detail?, attempt?, maxAttempts?, retryAt?}); null when there is
-- nothing to explain (connected, never connected). Updated on every failed attempt, even when
-- the state stays the same, so the admin sees the latest reason. session_events keep the same
-- object under detail.reason.
alter table numbers add column state_reason jsonb;
