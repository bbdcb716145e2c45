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
  /** The caller performed an `ai_call` effect (model rounds and tool calls included). */
  | { type: 'ai_result'; requestId: string; result: AiOutcome }
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

/** A web service an AI reply may call: the address is the admin's, the model fills the parameters. */
export interface AiToolSpec {
  name: string;
  description: string;
  method: 'GET' | 'POST';
  /** Rendered with the conversation's values when the call was decided. */
  url: string;
  /** JSON Schema (an object) of the arguments the model must give. */
  parameters: Record<string, unknown>;
}

/** One tool call the model made, as the transcript shows it. */
export interface AiToolCallRecord {
  /** The provider's id of the call, so a later call can show the model its own earlier calls. */
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
  /** The service's answer status (0: no answer); absent for built-in tools and refused calls. */
  status?: number;
  /** What the service answered, cut short, as the model saw it. */
  result?: unknown;
  /** Why Parley did not carry the call out (unknown tool, arguments not matching, blocked address). */
  refused?: string;
}

/** A line of an AI block's memory: what the contact said, or what the model said and did. */
export interface AiTurn {
  role: 'user' | 'assistant';
  text: string;
  toolCalls?: AiToolCallRecord[];
}

export interface AiTokenUsage {
  inputTokens: number;
  outputTokens: number;
}

/** What an AI block asks of a model; the caller opens the credential and runs the model and tools. */
export interface AiCallEffect {
  type: 'ai_call';
  conversationId: string;
  requestId: string;
  nodeId: string;
  call: {
    purpose: 'reply' | 'extract' | 'classify';
    credentialId: string;
    model: string;
    system: string;
    messages: AiTurn[];
    /** Put the conversation's earlier messages (from the caller's transcript) before `messages`. */
    transcript?: boolean;
    /**
     * Where the transcript the block's first call read ended (the caller's own position, from
     * that call's outcome): later calls read up to the same place, since the block's memory holds
     * what came after.
     */
    transcriptUntil?: number;
    tools?: AiToolSpec[];
    /** Sent with every tool call (values may be secrets: stored encrypted while pending). */
    headers?: Record<string, string>;
    /** Variables the model may fill with the built-in `save_variables` tool. */
    saveVariables?: { name: string; description: string }[];
    /** A structured answer of this schema (extract, classify). */
    output?: { schema: Record<string, unknown> };
    /** A photo the contact sent, for a model that sees images. */
    image?: { url: string; mimeType: string };
    maxOutputTokens: number;
    timeoutMs: number;
  };
}

/** Why an AI call gave no usable answer: a provider's failure, or Parley's own reasons. */
export type AiFailureCode =
  | 'auth_refused'
  | 'rate_limited'
  | 'timeout'
  | 'model_not_found'
  | 'blocked_address'
  | 'unreachable'
  | 'image_unavailable'
  | 'bad_answer'
  | 'provider_error'
  /** The workspace used its monthly tokens. */
  | 'quota'
  /** The block's provider is not in the workspace any more. */
  | 'no_credential'
  /** The call was cut off (the runtime stopped) and tried again without an answer. */
  | 'cut_off';

export type AiOutcome =
  | {
      ok: true;
      /** What the model said (for a reply: the message to the contact; may be empty). */
      text: string;
      toolCalls: AiToolCallRecord[];
      /** The structured answer: for extract only the values that met their field's schema. */
      output?: Record<string, unknown>;
      /** Fields whose value the caller refused, with the reason (extract). */
      refused?: Record<string, string>;
      /** The model called `finish` (goal met) or `handoff` (wants a person). */
      finish?: 'done' | 'handoff';
      /** Values the model saved with `save_variables` (only declared names, checked). */
      saved?: Record<string, string>;
      usage: AiTokenUsage;
      /** The call was cut off by a restart and made again. */
      retried?: boolean;
      /** Where the transcript it read ended (see `transcriptUntil`). */
      transcriptUntil?: number;
    }
  | {
      ok: false;
      code: AiFailureCode;
      /** In the admin's words: what went wrong and what to do. */
      error: string;
      toolCalls: AiToolCallRecord[];
      usage: AiTokenUsage;
      retried?: boolean;
    };

/** Work the caller does (http, models) or learns about (lifecycle), fed back as events where needed. */
export type Effect =
  | HttpRequestEffect
  | AiCallEffect
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
