import {
  type BusinessHours,
  handleKey,
  MAX_MESSAGES_PER_TURN,
  renderTemplate,
  type ValueScope,
} from '@parley/schemas';
import type { CompiledFlow } from './compile-flow.js';
import type { Effect, OutboundKind, OutboundMessage } from './events.js';
import type { TurnNote } from './notes.js';
import type { ContactState, Conversation, ConversationStatus } from './state.js';

export interface EngineOptions {
  /** Let `delay` nodes pass at once within the turn (the simulator); production waits for a timer. */
  inlineDelays?: boolean;
  /**
   * When the workspace's people answer hand-offs (null or absent: always). A hand-off outside them
   * tells the contact when someone will answer, and its timeout counts from that opening.
   */
  businessHours?: BusinessHours | null;
}

/** The working set of one step: drafts of the state plus everything the step produced. */
export interface Turn {
  flow: CompiledFlow;
  state: ContactState;
  now: number;
  options: EngineOptions;
  outbound: OutboundMessage[];
  effects: Effect[];
  log: string[];
  /** What the admin should know about the turn (the live test shows these). */
  notes: TurnNote[];
  /** A message was held back: the turn already sent MAX_MESSAGES_PER_TURN (the walk then fails it). */
  overCap: boolean;
  /** The text of the contact's message this turn answers, when it answers one. */
  contactText?: string;
}

export function scopeOf(turn: Turn, conversation: Conversation): ValueScope {
  return {
    variables: conversation.variables,
    contact: turn.state.contact,
    flow: { name: turn.flow.document.name },
  };
}

/** Fills a template with the conversation's values. */
export function renderIn(turn: Turn, conversation: Conversation, template: string): string {
  return renderTemplate(template, scopeOf(turn, conversation));
}

/**
 * Queues a message to the contact; every message but a reminder counts as activity for the timers.
 * Past MAX_MESSAGES_PER_TURN only the fallback text still goes out.
 */
export function send(
  turn: Turn,
  conversation: Conversation,
  kind: OutboundKind,
  text: string,
  extra: Partial<Pick<OutboundMessage, 'choices' | 'render' | 'media'>> = {},
): void {
  if (kind !== 'fallback' && turn.outbound.length >= MAX_MESSAGES_PER_TURN) {
    turn.overCap = true;
    return;
  }
  turn.outbound.push({ kind, conversationId: conversation.id, text, ...extra });
  if (kind !== 'reminder') conversation.lastActivityAt = turn.now;
}

/** The current values of the variables the flow asks for, those that hold one. */
export function answersOf(flow: CompiledFlow, conversation: Conversation): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const variable of flow.index.askedVariables) {
    const value = conversation.variables[variable];
    if (value !== undefined && value !== null) answers[variable] = value;
  }
  return answers;
}

export function finishConversation(
  turn: Turn,
  conversation: Conversation,
  status: Exclude<ConversationStatus, 'active'>,
  reason?: string,
): void {
  conversation.status = status;
  conversation.wait = null;
  conversation.endedAt = turn.now;
  if (reason !== undefined) {
    conversation.endReason = reason;
    turn.log.push(`conversation ${conversation.id} ${status}: ${reason}`);
  }
  turn.effects.push({
    type: 'conversation_ended',
    conversationId: conversation.id,
    status,
    answers: answersOf(turn.flow, conversation),
    ...(reason === undefined ? {} : { reason }),
  });
}

/** Sends the flow's fallback text and ends the conversation as failed. */
export function failConversation(turn: Turn, conversation: Conversation, reason: string): void {
  send(turn, conversation, 'fallback', turn.flow.settings.fallbackText);
  finishConversation(turn, conversation, 'failed', reason);
}

/** The node an outcome of a node leads to, or null when that outcome is not connected. */
export function targetOf(flow: CompiledFlow, nodeId: string, handle: string): string | null {
  return flow.index.edgeByHandle.get(handleKey(nodeId, handle))?.target ?? null;
}
