/**
 * The values of the shared enums as plain arrays (and checks on them), with no other code: the UI's
 * filters and label maps import them without pulling TypeBox (or the Flow Document's validator)
 * into the first bundle. enums.ts has their types and TypeBox unions.
 */
export { CONVERSATION_STATUSES } from '@parley/schemas/conversation-status';

/**
 * Roles in a workspace, lowest first. An agent answers hand-offs in the inbox and reads what a
 * viewer reads, but builds no flows.
 */
export const ROLES = ['viewer', 'agent', 'editor', 'admin'] as const;

/**
 * The roles an API key may have: viewer for analysts, editor for CI that publishes flows. Never
 * admin: keys never manage people or keys, so an admin key would add only workspace settings.
 */
export const API_KEY_ROLES = ['viewer', 'editor'] as const;

/** The lifetimes offered when making an API key, in days (or none: until revoked). */
export const API_KEY_LIFETIMES_DAYS = [30, 90, 365] as const;

/** A number's WhatsApp session, as stored in `numbers.state` and `session_events`. */
export const SESSION_STATES = [
  'disconnected',
  'starting',
  'qr_pending',
  'connected',
  'reconnecting',
  'logged_out',
  'failed',
] as const;

/**
 * The detail a runtime records in session_events when it restarts a number's browser for its memory;
 * the memory-restarts alert counts these events.
 */
export const MEMORY_RESTART_DETAIL = 'Restarting: the browser uses too much memory';

/**
 * Why a number's session is in its state (a failed attempt, a stop, a logout), as stored with
 * `numbers.state_reason` and `session_events`; the runtime words each one for a person.
 */
export const SESSION_REASONS = [
  'web_unreachable',
  'browser_missing',
  'browser_crashed',
  'web_version_unsupported',
  'out_of_memory',
  'logged_out_on_phone',
  'opened_elsewhere',
  'held_elsewhere',
  'login_timeout',
  'ready_timeout',
  'session_refused',
  'session_unreadable',
  'blocked',
  'link_lost',
  'scheduled_restart',
  'admin_logout',
  'admin_cancel',
  'runtime_stopped',
  'start_failed',
] as const;

const LIVE_SESSION_STATES: readonly string[] = ['starting', 'qr_pending', 'connected', 'reconnecting'];

/** Whether a runtime is driving (or about to drive) a number's session in this state. */
export function isLiveSession(state: string): boolean {
  return LIVE_SESSION_STATES.includes(state);
}

/** Where a number's messages go: WhatsApp, or the simulator (tests and the live test). */
export const CHANNELS = ['whatsapp', 'simulator'] as const;

export const FLOW_VERSION_STATUSES = ['draft', 'published', 'archived'] as const;

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;

/** Which responses a list or export holds: completed conversations, unfinished ones, or both. */
export const RESPONSE_STATUS_FILTERS = ['completed', 'partial', 'all'] as const;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ndjson'] as const;

/** What an alert rule watches (`alert_rules.kind`). */
export const ALERT_KINDS = [
  'number_down',
  'flow_failure_rate',
  'handoff_waiting',
  'outbox_backlog',
  'memory_restarts',
  'conversation_tests_failed',
  'handoff_started',
] as const;
/** Where an alert's notices go, and how each went (`alert_deliveries`). */
export const ALERT_CHANNELS = ['webhook', 'email'] as const;
export const ALERT_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** The inbox's lists: open hand-offs no one holds (oldest first), the caller's, or every open one. */
export const INBOX_VIEWS = ['waiting', 'mine', 'all'] as const;

/**
 * What changed in a conversation that is (or was just) with a person, as runtimes and API
 * processes announce it and the inbox's event stream forwards it.
 */
export const INBOX_ACTIVITY_KINDS = [
  'handoff',
  'contact_message',
  'agent_message',
  'delivery',
  'assigned',
  'read',
  'resumed',
  'released',
  'timed_out',
] as const;

/** The files an agent may send a contact: pictures WhatsApp shows inline, and documents. */
export const INBOX_ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;

/**
 * Where an AI block's model runs (`ai_credentials.kind`): OpenAI, Anthropic, Google, or any server
 * that speaks OpenAI's chat completions (Ollama, vLLM, LM Studio) at a base URL of its own.
 */
export const AI_PROVIDER_KINDS = ['openai', 'anthropic', 'google', 'openai_compatible'] as const;
