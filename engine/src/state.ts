import type { ConversationStatus } from '@parley/schemas';
import type { Wait } from './nodes/registry.js';

export type { ConversationStatus, Wait };

export interface Contact {
  name?: string;
  phone?: string;
}

/** One contact's walk through one flow version. Times are epoch milliseconds. */
export interface Conversation {
  id: string;
  status: ConversationStatus;
  startedAt: number;
  endedAt?: number;
  /** Last message in either direction (reminders excepted): timers count from here. */
  lastActivityAt: number;
  variables: Record<string, unknown>;
  wait: Wait | null;
  /** Nodes entered in the current turn, for the loop guard. */
  turnSteps: number;
  reminderSent: boolean;
  /** Counter for ids of effects (http requests) so their results can be matched. */
  effectSeq: number;
  /** Why it failed or ended, for the log. */
  endReason?: string;
  /** Set when an admin released a hand-off: the bot answers this contact again. */
  releasedAt?: number;
  /** When the conversation last became a hand-off, and at which block. */
  handoffAt?: number;
  handoffNodeId?: string;
  /** When the hand-off times out unless a person answers first (unset: no timeout, or it fired). */
  handoffTimeoutAt?: number;
  /** When a person first answered the current hand-off. */
  agentRepliedAt?: number;
  /** The contact's latest text, also one a question refused: what AI blocks read by default. */
  lastText?: string;
}

export const STATE_VERSION = 1;

/** The engine's state for one (number, contact): the contact and their latest conversation. */
export interface ContactState {
  v: typeof STATE_VERSION;
  contact: Contact;
  conversation: Conversation | null;
  /** When the contact last got the reply to a message that started nothing (it goes out once a day). */
  noMatchRepliedAt?: number;
}

export function initialState(contact: Contact = {}): ContactState {
  return { v: STATE_VERSION, contact, conversation: null };
}

/** Whether the conversation still takes part in the dialogue (a released hand-off does not). */
export function isOngoing(conversation: Conversation | null): conversation is Conversation {
  if (conversation === null) return false;
  return (
    conversation.status === 'active' ||
    (conversation.status === 'handoff' && conversation.releasedAt === undefined)
  );
}

/**
 * Brings a stored state up to the current version, one step per version. There is only v1 so far;
 * a v2 adds `case 1: state = v1ToV2(state)` here and bumps STATE_VERSION.
 */
export function migrateState(stored: unknown): ContactState {
  const state = stored as { v?: unknown } | null;
  if (state === null || typeof state !== 'object')
    throw new Error('Stored conversation state is not an object');
  if (state.v === STATE_VERSION) return state as ContactState;
  throw new Error(`Unknown conversation state version ${String(state.v)}`);
}
