import type { Trigger } from '@parley/schemas';
import type { CompiledFlow } from './compile-flow.js';
import type { AiOutcome, Effect, EngineEvent, HttpOutcome, OutboundMessage } from './events.js';
import type { Resumption } from './nodes/node-executor.js';
import { resumeOf, type Wait } from './nodes/registry.js';
import type { TurnNote } from './notes.js';
import type { ContactState, Conversation } from './state.js';
import { dueTimer } from './timers.js';
import { findTrigger } from './triggers.js';
import {
  type EngineOptions,
  failConversation,
  finishConversation,
  renderIn,
  send,
  type Turn,
  targetOf,
} from './turn.js';
import { walk, walkNewTurn } from './walk.js';

export interface StepResult {
  state: ContactState;
  outbound: OutboundMessage[];
  effects: Effect[];
  /** Why things happened that the contact does not see (silence, stale results, failures). */
  log: string[];
  /** The same, in plain words for the admin, for what an admin can act on (failed calls, refused answers). */
  notes: TurnNote[];
}

type MessageEvent = Extract<EngineEvent, { type: 'message' }>;
type AgentMessageEvent = Extract<EngineEvent, { type: 'agent_message' }>;

function startConversation(turn: Turn, trigger: Trigger, id: string): void {
  const conversation: Conversation = {
    ...(turn.contactText === undefined ? {} : { lastText: turn.contactText }),
    id,
    status: 'active',
    startedAt: turn.now,
    lastActivityAt: turn.now,
    variables: {},
    wait: null,
    turnSteps: 0,
    reminderSent: false,
    effectSeq: 0,
  };
  turn.state.conversation = conversation;
  turn.effects.push({ type: 'conversation_started', conversationId: id, triggerId: trigger.id });
  walkNewTurn(turn, conversation, trigger.target);
}

function expire(turn: Turn, conversation: Conversation): void {
  const text = turn.flow.settings.expiredText;
  if (text !== undefined) send(turn, conversation, 'expired', text);
  finishConversation(turn, conversation, 'expired', 'no reply before the session timeout');
}

/** The node an ongoing conversation waits at, with how its type resumes. */
function waitingAt(turn: Turn, conversation: Conversation) {
  const wait = conversation.wait;
  const node = wait === null ? undefined : turn.flow.index.nodeById.get(wait.nodeId);
  const resume = node === undefined ? undefined : resumeOf(node);
  if (wait === null || node === undefined || resume === undefined) return null;
  return { node, wait, resume };
}

function resumeWith(turn: Turn, conversation: Conversation, resumption: Resumption<Wait>): void {
  switch (resumption.kind) {
    case 'continue':
      if (resumption.sameTurn === true) {
        conversation.wait = null;
        walk(turn, conversation, resumption.nodeId);
      } else {
        walkNewTurn(turn, conversation, resumption.nodeId);
      }
      break;
    case 'wait':
      conversation.wait = resumption.wait;
      break;
    case 'fail':
      failConversation(turn, conversation, resumption.reason);
      break;
    case 'ignore':
      turn.log.push(resumption.reason);
      break;
  }
}

/** A hand-off taken back by the flow: active again, nothing ended. */
function reopen(conversation: Conversation, now: number): void {
  conversation.status = 'active';
  conversation.lastActivityAt = now;
  conversation.reminderSent = false;
  delete conversation.endedAt;
  delete conversation.endReason;
  delete conversation.handoffTimeoutAt;
}

/**
 * Nobody answered the hand-off in time: the contact hears so, and the hand-off block's timeout
 * outcome takes the flow back when connected; otherwise the people keep it and the timer is done.
 */
function timeOutHandoff(turn: Turn, conversation: Conversation): void {
  delete conversation.handoffTimeoutAt;
  const text = turn.flow.settings.handoff?.timeoutText;
  if (text !== undefined) send(turn, conversation, 'message', renderIn(turn, conversation, text));
  const from = conversation.handoffNodeId;
  const target = from === undefined ? null : targetOf(turn.flow, from, 'timeout');
  turn.effects.push({ type: 'handoff_timed_out', conversationId: conversation.id, resumed: target !== null });
  if (target === null) return;
  reopen(conversation, turn.now);
  walkNewTurn(turn, conversation, target);
}

function onTimer(turn: Turn): void {
  for (
    let kind = dueTimer(turn.flow, turn.state, turn.now);
    kind !== null;
    kind = dueTimer(turn.flow, turn.state, turn.now)
  ) {
    const conversation = turn.state.conversation as Conversation;
    if (kind === 'handoff') {
      timeOutHandoff(turn, conversation);
    } else if (kind === 'expiry') {
      expire(turn, conversation);
    } else if (kind === 'reminder') {
      conversation.reminderSent = true;
      send(turn, conversation, 'reminder', (turn.flow.settings.reminder as { text: string }).text);
    } else {
      const waiting = waitingAt(turn, conversation);
      const timer = waiting?.resume.timer;
      // A 'wait' timer is pending only while a node that has one is waited at.
      if (waiting === null || timer === undefined) return;
      resumeWith(turn, conversation, timer.fire(waiting.node, conversation, waiting.wait, turn));
    }
  }
}

/** Whether the whole message is one of the words (any case, surrounding spaces ignored). */
function isOneOf(text: string | undefined, words: string[] | undefined): boolean {
  const said = text?.trim().toLocaleLowerCase();
  return (
    said !== undefined &&
    said !== '' &&
    (words ?? []).some((word) => word.trim().toLocaleLowerCase() === said)
  );
}

/**
 * The flow's stop and help words, answered before anything else and never stored as an answer:
 * stop ends the conversation, help explains and the question keeps waiting. Replies go with the
 * contact's latest conversation; a contact who never had one is only logged.
 */
function onReplyWord(turn: Turn, event: MessageEvent): boolean {
  const { stop, help } = turn.flow.settings.replies ?? {};
  const word = isOneOf(event.text, stop?.words) ? stop : isOneOf(event.text, help?.words) ? help : undefined;
  if (word === undefined) return false;
  const conversation = turn.state.conversation;
  if (conversation === null) {
    turn.log.push(`"${event.text}" has a built-in reply, but there is no conversation to answer in`);
    return true;
  }
  send(turn, conversation, 'message', word.text);
  if (word === stop && conversation.status === 'active') {
    finishConversation(turn, conversation, 'abandoned', 'the contact wrote a stop word');
  }
  return true;
}

/** How often one contact gets the reply to a message that starts nothing, so a chatty contact is not flooded. */
const NO_MATCH_REPLY_EVERY_MS = 24 * 60 * 60 * 1000;

/**
 * A message that matches no trigger, from a contact without an open conversation (never had one,
 * or one ended and there is no after-end reply): the flow's no-match reply, at most once a day
 * per contact. It belongs to no conversation and starts none.
 */
function replyToNoMatch(turn: Turn): void {
  const text = turn.flow.settings.replies?.noMatch;
  if (text === undefined) {
    turn.log.push('no trigger matches; no reply');
    return;
  }
  const last = turn.state.noMatchRepliedAt;
  if (last !== undefined && turn.now - last < NO_MATCH_REPLY_EVERY_MS) {
    turn.log.push('no trigger matches; the no-match reply already went out in the last 24 hours');
    return;
  }
  turn.state.noMatchRepliedAt = turn.now;
  turn.outbound.push({ kind: 'message', conversationId: null, text });
}

function onMessage(turn: Turn, event: MessageEvent): void {
  if (event.contact !== undefined) turn.state.contact = { ...turn.state.contact, ...event.contact };
  let expiredNow = false;
  if (
    turn.state.conversation?.status === 'active' &&
    dueTimer(turn.flow, turn.state, turn.now) === 'expiry'
  ) {
    expire(turn, turn.state.conversation);
    expiredNow = true;
  }
  const conversation = turn.state.conversation;
  const triggers = turn.flow.document.triggers;
  if (conversation !== null && isHandedOff(conversation)) {
    turn.log.push(`conversation ${conversation.id} is with a human; the bot stays silent`);
    return;
  }
  if (onReplyWord(turn, event)) return;
  if (conversation?.status !== 'active') {
    const trigger = findTrigger(triggers, event.text, false);
    if (trigger !== undefined) {
      startConversation(turn, trigger, event.id);
      return;
    }
    const afterEnd = turn.flow.settings.replies?.afterEnd;
    // Right after an expiry that already said so, a second message would only repeat it.
    const saidExpired = expiredNow && turn.flow.settings.expiredText !== undefined;
    if (conversation !== null && afterEnd !== undefined && !saidExpired) {
      send(turn, conversation, 'message', afterEnd);
    } else if (!saidExpired) {
      replyToNoMatch(turn);
    }
    return;
  }
  conversation.lastActivityAt = turn.now;
  conversation.reminderSent = false;
  // What AI blocks read by default: the latest message's text, none for a photo without a caption.
  if (event.text === undefined) delete conversation.lastText;
  else conversation.lastText = event.text;
  const interrupt = findTrigger(triggers, event.text, true);
  if (interrupt !== undefined) {
    finishConversation(turn, conversation, 'abandoned', `restarted by trigger ${interrupt.id}`);
    startConversation(turn, interrupt, event.id);
    return;
  }
  const waiting = waitingAt(turn, conversation);
  const resumption = waiting?.resume.onReply?.(waiting.node, conversation, waiting.wait, event, turn);
  if (resumption !== undefined) {
    resumeWith(turn, conversation, resumption);
  } else {
    turn.log.push(
      `conversation ${conversation.id} is busy (${conversation.wait?.kind ?? 'running'}); message not answered`,
    );
  }
}

type Waiting = NonNullable<ReturnType<typeof waitingAt>>;

/**
 * Hands the result of an effect (an http request, a model call) to the node the active
 * conversation waits at; `ignored` goes to the log when no node takes it.
 */
function onResult(
  turn: Turn,
  ignored: string,
  take: (waiting: Waiting, conversation: Conversation) => Resumption<Wait> | undefined,
): void {
  const conversation = turn.state.conversation;
  const waiting = conversation?.status === 'active' ? waitingAt(turn, conversation) : null;
  const resumption = waiting === null || conversation === null ? undefined : take(waiting, conversation);
  if (resumption === undefined) turn.log.push(ignored);
  else resumeWith(turn, conversation as Conversation, resumption);
}

function onHttpResult(turn: Turn, requestId: string, result: HttpOutcome): void {
  onResult(
    turn,
    `http result ${requestId} arrived for no waiting request; ignored`,
    (waiting, conversation) =>
      waiting.resume.onHttpResult?.(waiting.node, conversation, waiting.wait, { requestId, result }, turn),
  );
}

function onAiResult(turn: Turn, requestId: string, result: AiOutcome): void {
  onResult(turn, `ai result ${requestId} arrived for no waiting call; ignored`, (waiting, conversation) =>
    waiting.resume.onAiResult?.(waiting.node, conversation, waiting.wait, { requestId, result }, turn),
  );
}

function onRelease(turn: Turn): void {
  const conversation = turn.state.conversation;
  if (conversation !== null && isHandedOff(conversation)) {
    conversation.releasedAt = turn.now;
  } else {
    turn.log.push('nothing to release: the conversation is not with a human');
  }
}

/** Whether the conversation is with a person right now. */
function isHandedOff(conversation: Conversation): boolean {
  return conversation.status === 'handoff' && conversation.releasedAt === undefined;
}

/** Why an agent message cannot go out, in the words the person who wrote it reads. */
function notWithAPerson(conversation: Conversation | null): string {
  const why =
    conversation === null
      ? 'the contact has no conversation'
      : conversation.status === 'handoff'
        ? 'the hand-off was closed'
        : conversation.status === 'active'
          ? 'the bot took it over again'
          : 'it has ended';
  return `Not sent: this conversation was no longer with a person (${why}).`;
}

function onAgentMessage(turn: Turn, event: AgentMessageEvent): void {
  const conversation = turn.state.conversation;
  const message: Omit<OutboundMessage, 'conversationId'> = {
    kind: 'agent',
    text: event.text ?? '',
    ...(event.media === undefined
      ? {}
      : {
          media: {
            url: event.media.url,
            kind: event.media.mimeType.startsWith('image/') ? 'image' : 'document',
          },
        }),
    agent: event.agent,
  };
  if (conversation === null || !isHandedOff(conversation)) {
    turn.effects.push({
      type: 'agent_message_refused',
      conversationId: conversation?.id ?? null,
      message,
      reason: notWithAPerson(conversation),
    });
    return;
  }
  // A person's message is never held back by the per-turn cap: it is one message, on purpose.
  turn.outbound.push({ ...message, conversationId: conversation.id });
  conversation.lastActivityAt = turn.now;
  conversation.agentRepliedAt ??= turn.now;
}

/** A person hands the conversation back to the bot at a block; its variables stay. */
function onResume(turn: Turn, nodeId: string): void {
  const conversation = turn.state.conversation;
  if (conversation === null || !isHandedOff(conversation)) {
    turn.log.push('nothing to resume: the conversation is not with a person');
    return;
  }
  reopen(conversation, turn.now);
  walkNewTurn(turn, conversation, nodeId);
}

/**
 * The engine: a pure function of (flow version, state, event, now). It never performs I/O; what
 * must happen outside (sending, http calls, timers) is in the result for the caller to carry out.
 */
export function step(
  flow: CompiledFlow,
  state: ContactState,
  event: EngineEvent,
  now: number,
  options: EngineOptions = {},
): StepResult {
  const turn: Turn = {
    flow,
    state: structuredClone(state),
    now,
    options,
    outbound: [],
    effects: [],
    log: [],
    notes: [],
    overCap: false,
    ...(event.type === 'message' && event.text !== undefined ? { contactText: event.text } : {}),
  };
  switch (event.type) {
    case 'message':
      onMessage(turn, event);
      break;
    case 'timer':
      onTimer(turn);
      break;
    case 'http_result':
      onHttpResult(turn, event.requestId, event.result);
      break;
    case 'ai_result':
      onAiResult(turn, event.requestId, event.result);
      break;
    case 'release':
      onRelease(turn);
      break;
    case 'agent_message':
      onAgentMessage(turn, event);
      break;
    case 'resume':
      onResume(turn, event.nodeId);
      break;
  }
  return {
    state: turn.state,
    outbound: turn.outbound,
    effects: turn.effects,
    log: turn.log,
    notes: turn.notes,
  };
}
