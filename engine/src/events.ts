import type { Choice, MessageConfig } from '@parley/schemas';
import type { Contact, ConversationStatus } from './state.js';

export interface InboundMedia {
  url: string;
  mimeType: string;
  name?: string;
  size: number;
}

export interface InboundLocation {
  lat: number;
  lng: number;
  name?: string;
}

/** What can happen to a contact's conversation. */
export type EngineEvent =
  | {
      type: 'message';
      /** The channel's message id: unique, also the id of a conversation it starts. */
      id: string;
      text?: string;
      media?: InboundMedia;
      location?: InboundLocation;
      /** A poll vote: the ids of the chosen choices. */
      choiceIds?: string[];
      contact?: Contact;
    }
  /** The clock reached a due timer (reminder, expiry, delay). */
  | { type: 'timer' }
  | { type: 'http_result'; requestId: string; result: HttpOutcome }
  /** An admin ended a hand-off. */
  | { type: 'release' };

export type HttpOutcome = { status: number; body: unknown } | { status: 0; error: string };

export type OutboundKind = 'message' | 'prompt' | 'retry' | 'reminder' | 'expired' | 'fallback';

/** A message for the contact, channel-neutral: the WhatsApp channel decides how choices look. */
export interface OutboundMessage {
  kind: OutboundKind;
  /** Null for the reply to a message that started no conversation (`replies.noMatch`). */
  conversationId: string | null;
  text: string;
  choices?: Choice[];
  render?: 'list' | 'poll';
  media?: NonNullable<MessageConfig['media']>;
}

export interface HttpRequestEffect {
  type: 'http_request';
  conversationId: string;
  requestId: string;
  nodeId: string;
  request: { url: string; method: string; headers: Record<string, string>; body?: string; timeoutMs: number };
}

/** Work the caller does (http) or learns about (lifecycle), fed back as events where needed. */
export type Effect =
  | HttpRequestEffect
  | { type: 'conversation_started'; conversationId: string; triggerId: string }
  | {
      type: 'conversation_ended';
      conversationId: string;
      status: Exclude<ConversationStatus, 'active'>;
      answers: Record<string, unknown>;
      reason?: string;
    }
  | { type: 'answer_saved'; conversationId: string; nodeId: string; variable: string; value: unknown }
  | { type: 'node_entered'; conversationId: string; nodeId: string };
