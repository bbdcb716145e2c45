import type { CompiledFlow } from './compile-flow.js';
import { resumeOf } from './nodes/registry.js';
import type { ContactState } from './state.js';

/**
 * `wait`: the own timer of the node the conversation waits at (a delay); `handoff`: a hand-off
 * nobody answered in time.
 */
export type TimerKind = 'wait' | 'reminder' | 'expiry' | 'handoff';

/** The timers a conversation has, each with its due time (epoch ms). */
export function pendingTimers(flow: CompiledFlow, state: ContactState): { kind: TimerKind; at: number }[] {
  const conversation = state.conversation;
  if (
    conversation?.status === 'handoff' &&
    conversation.releasedAt === undefined &&
    conversation.agentRepliedAt === undefined &&
    conversation.handoffTimeoutAt !== undefined
  )
    return [{ kind: 'handoff', at: conversation.handoffTimeoutAt }];
  if (conversation === null || conversation.status !== 'active' || conversation.wait === null) return [];
  const node = flow.index.nodeById.get(conversation.wait.nodeId);
  const resume = node === undefined ? undefined : resumeOf(node);
  if (resume === undefined) return [];
  const timers: { kind: TimerKind; at: number }[] =
    resume.timer === undefined ? [] : [{ kind: 'wait', at: resume.timer.at(conversation.wait) }];
  // Reminder and expiry are about the contact's silence: only a node waiting for the contact is idle.
  if (!resume.idle) return timers;
  const { sessionTimeoutMs, reminder } = flow.settings;
  timers.push({ kind: 'expiry', at: conversation.lastActivityAt + sessionTimeoutMs });
  if (reminder !== undefined && !conversation.reminderSent) {
    const at = conversation.lastActivityAt + reminder.afterMs;
    if (at < conversation.lastActivityAt + sessionTimeoutMs) timers.push({ kind: 'reminder', at });
  }
  return timers;
}

/** When the runtime should next wake this conversation with a `timer` event, or null. */
export function nextTimerAt(flow: CompiledFlow, state: ContactState): number | null {
  const timers = pendingTimers(flow, state);
  return timers.length === 0 ? null : Math.min(...timers.map((timer) => timer.at));
}

/** The timer due at `now` that should fire first (an expiry wins over a reminder due with it). */
export function dueTimer(flow: CompiledFlow, state: ContactState, now: number): TimerKind | null {
  const due = pendingTimers(flow, state).filter((timer) => timer.at <= now);
  if (due.length === 0) return null;
  const expiry = due.find((timer) => timer.kind === 'expiry');
  // An expired conversation gets no reminder and no delayed messages.
  if (expiry !== undefined) return 'expiry';
  return due.sort((a, b) => a.at - b.at)[0]?.kind ?? null;
}
