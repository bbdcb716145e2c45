import type { Trigger } from '@parley/schemas';
import type { CompiledFlow } from './compile-flow.js';
import type { Effect, EngineEvent, HttpOutcome, OutboundMessage } from './events.js';
import type { Resumption } from './nodes/node-executor.js';
import { resumeOf, type Wait } from './nodes/registry.js';
import type { TurnNote } from './notes.js';
import type { ContactState, Conversation } from './state.js';
import { dueTimer } from './timers.js';
import { findTrigger } from './triggers.js';
import { type EngineOptions, failConversation, finishConversation, send, type Turn } from './turn.js';
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

function startConversation(turn: Turn, trigger: Trigger, id: string): void {
  const conversation: Conversation = {
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

function onTimer(turn: Turn): void {
  for (
    let kind = dueTimer(turn.flow, turn.state, turn.now);
    kind !== null;
    kind = dueTimer(turn.flow, turn.state, turn.now)
  ) {
    const conversation = turn.state.conversation as Conversation;
    if (kind === 'expiry') {
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
  if (conversation?.status === 'handoff' && conversation.releasedAt === undefined) {
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

function onHttpResult(turn: Turn, requestId: string, result: HttpOutcome): void {
  const conversation = turn.state.conversation;
  const waiting = conversation?.status === 'active' ? waitingAt(turn, conversation) : null;
  const resumption = waiting?.resume.onHttpResult?.(
    waiting.node,
    conversation as Conversation,
    waiting.wait,
    { requestId, result },
    turn,
  );
  if (resumption === undefined) {
    turn.log.push(`http result ${requestId} arrived for no waiting request; ignored`);
  } else {
    resumeWith(turn, conversation as Conversation, resumption);
  }
}

function onRelease(turn: Turn): void {
  const conversation = turn.state.conversation;
  if (conversation?.status === 'handoff' && conversation.releasedAt === undefined) {
    conversation.releasedAt = turn.now;
  } else {
    turn.log.push('nothing to release: the conversation is not with a human');
  }
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
    case 'release':
      onRelease(turn);
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
