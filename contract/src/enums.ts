import { CONVERSATION_STATUSES, type ConversationStatus as EngineConversationStatus } from '@parley/schemas';
import { type TLiteral, type TUnion, Type } from '@sinclair/typebox';

export { CONVERSATION_STATUSES };

/** A TypeBox union of string literals whose static type is the array's element type. */
export function literalUnion<const T extends readonly string[]>(
  values: T,
  options?: { description?: string; default?: T[number] },
) {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
}

/** The engine's conversation statuses (one list, in @parley/schemas). */
export type ConversationStatus = EngineConversationStatus;
export const ConversationStatus = literalUnion(CONVERSATION_STATUSES);

/** Roles in a workspace, lowest first. */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const Role = literalUnion(ROLES);

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
export type SessionState = (typeof SESSION_STATES)[number];
export const SessionState = literalUnion(SESSION_STATES);

/** Where a number's messages go: WhatsApp, or the simulator (tests and the live test). */
export const CHANNELS = ['whatsapp', 'simulator'] as const;
export type Channel = (typeof CHANNELS)[number];
export const Channel = literalUnion(CHANNELS);

export const FLOW_VERSION_STATUSES = ['draft', 'published', 'archived'] as const;
export type FlowVersionStatus = (typeof FLOW_VERSION_STATUSES)[number];
export const FlowVersionStatus = literalUnion(FLOW_VERSION_STATUSES);

export const MESSAGE_DIRECTIONS = ['in', 'out'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export const MessageDirection = literalUnion(MESSAGE_DIRECTIONS);

/** Which responses a list or export holds: completed conversations, unfinished ones, or both. */
export const RESPONSE_STATUS_FILTERS = ['completed', 'partial', 'all'] as const;
export type ResponseStatusFilter = (typeof RESPONSE_STATUS_FILTERS)[number];
export const ResponseStatusFilter = literalUnion(RESPONSE_STATUS_FILTERS);

export const EXPORT_FORMATS = ['csv', 'xlsx', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ExportFormat = literalUnion(EXPORT_FORMATS);
