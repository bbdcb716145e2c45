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
  /** The clock reached a due timer (reminder, expiry, delay, hand-off timeout). */
  | { type: 'timer' }
  | { type: 'http_result'; requestId: string; result: HttpOutcome }
  /** An admin ended a hand-off. */
  | { type: 'release' }
  /** A person answered a hand-off from the inbox; `id` is the id the inbox knows the message by. */
  | { type: 'agent_message'; id: string; text?: string; media?: InboundMedia; agent: Agent }
  /** A person handed the conversation back to the bot at a block, the variables kept. */
  | { type: 'resume'; nodeId: string };

/** The person who wrote an agent message, as the transcript names them. */
export interface Agent {
  id: string;
  name: string;
}

export type HttpOutcome = { status: number; body: unknown } | { status: 0; error: string };

/** `agent`: written by a person in the inbox, not by the flow. */
export type OutboundKind = 'message' | 'prompt' | 'retry' | 'reminder' | 'expired' | 'fallback' | 'agent';

/** A message for the contact, channel-neutral: the WhatsApp channel decides how choices look. */
export interface OutboundMessage {
  kind: OutboundKind;
  /** Null for the reply to a message that started no conversation (`replies.noMatch`). */
  conversationId: string | null;
  text: string;
  choices?: Choice[];
  render?: 'list' | 'poll';
  media?: NonNullable<MessageConfig['media']>;
  /** Who wrote an `agent` message. */
  agent?: Agent;
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
  | { type: 'node_entered'; conversationId: string; nodeId: string }
  /** A hand-off got no reply in time; `resumed` when its timeout outcome took the flow back. */
  | { type: 'handoff_timed_out'; conversationId: string; resumed: boolean }
  /**
   * An agent message that cannot go out because the conversation is no longer with a person:
   * the caller records it as failed with `reason`, so the person sees it was not sent.
   */
  | {
      type: 'agent_message_refused';
      conversationId: string | null;
      message: Omit<OutboundMessage, 'conversationId'>;
      reason: string;
    };
