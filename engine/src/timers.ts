import type { CompiledFlow } from './compile-flow.js';
import type { ContactState } from './state.js';

export type TimerKind = 'delay' | 'reminder' | 'expiry';

/** The timers a conversation has, each with its due time (epoch ms). */
export function pendingTimers(flow: CompiledFlow, state: ContactState): { kind: TimerKind; at: number }[] {
  const conversation = state.conversation;
  if (conversation === null || conversation.status !== 'active') return [];
  const { sessionTimeoutMs, reminder } = flow.settings;
  if (conversation.wait?.kind === 'delay') return [{ kind: 'delay', at: conversation.wait.until }];
  // Reminder and expiry are about the contact's silence: a conversation waiting on its own delay
  // (up to days) or on an http result is not idle, and must not expire before it resumes.
  if (conversation.wait?.kind !== 'answer') return [];
  const timers: { kind: TimerKind; at: number }[] = [
    { kind: 'expiry', at: conversation.lastActivityAt + sessionTimeoutMs },
  ];
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
