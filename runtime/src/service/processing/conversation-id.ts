import { createHash } from 'node:crypto';

/**
 * The database id of a conversation, derived from the number and the engine's id (the message
 * that started it), so every retry of a step computes the same row id without a lookup.
 */
export function conversationUuid(numberId: string, engineId: string): string {
  const hex = createHash('sha256').update(`${numberId}\u0000${engineId}`).digest('hex');
  // RFC 9562 layout, version 8 (custom), variant 10.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
