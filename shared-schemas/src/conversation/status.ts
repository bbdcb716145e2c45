/**
 * Where a conversation stands. The engine moves conversations between these; the database's check
 * constraint on `conversations.status` and the API's filters list the same values.
 */
export const CONVERSATION_STATUSES = [
  'active',
  'completed',
  'failed',
  'handoff',
  'expired',
  'abandoned',
] as const;

export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
