import { ALERT_DEFAULTS, type AlertKind, type AlertParams, MEMORY_RESTART_DETAIL } from '@parley/contract';
import type { Queryable } from '@parley/db';
import type { AlertsRepository, Finding } from './alerts.repository.js';

/** A rule's thresholds: its own where set, else its kind's defaults; only those its kind reads. */
export function effectiveParams(kind: AlertKind, params: AlertParams): AlertParams {
  const defaults = ALERT_DEFAULTS[kind];
  return Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [name, params[name as keyof AlertParams] ?? value]),
  );
}

/** How long a number has been down, in words that fit its state. */
function downFor(state: string, minutes: number): string {
  if (state === 'failed') return `failed to connect and has been down for ${minutes} minutes`;
  return `been ${state === 'logged_out' ? 'logged out' : state} for ${minutes} minutes`;
}

export const numberName = (n: { phone: string; label: string | null }) =>
  n.label === null || n.label === '' ? n.phone : `${n.label} (${n.phone})`;

const minutesSince = (since: Date, now: Date) =>
  Math.max(1, Math.round((now.getTime() - since.getTime()) / 60_000));

/** Where a conversation opens in the inbox, when the server's address is known (PARLEY_PUBLIC_URL). */
export function inboxLink(publicUrl: string | undefined, conversationId: string): string | null {
  return publicUrl === undefined ? null : `${publicUrl.replace(/\/+$/, '')}/inbox/${conversationId}`;
}

/** "Maria (+351912345678)", or the number alone when the contact gave no name. */
export const contactName = (c: { contact: string; contactName: string | null }) =>
  c.contactName === null || c.contactName === '' ? c.contact : `${c.contactName} (${c.contact})`;

/** What is in trouble now for one rule, each with a message in plain words that says what to do. */
export async function findings(
  db: Queryable,
  repository: AlertsRepository,
  rule: { workspaceId: string; kind: AlertKind; params: AlertParams },
  now: Date,
  publicUrl?: string,
): Promise<Finding[]> {
  const { minutes = 0, percent = 0, windowMinutes = 0, count = 1 } = effectiveParams(rule.kind, rule.params);
  switch (rule.kind) {
    case 'number_down':
      return (await repository.numbersDown(db, rule.workspaceId, minutes)).map((n) => ({
        subject: `number:${n.id}`,
        message: `WhatsApp number ${numberName(n)} has ${downFor(n.state, minutesSince(n.since, now))} and answers nobody. Open Numbers and connect it again${n.state === 'logged_out' ? ' (scan the QR code with the phone)' : ''}.`,
      }));
    case 'flow_failure_rate':
      return (await repository.flowFailures(db, rule.workspaceId, windowMinutes))
        .filter((f) => f.ended >= count && (f.failed * 100) / f.ended > percent)
        .map((f) => ({
          subject: `flow:${f.id}`,
          message: `Flow "${f.name}": ${f.failed} of ${f.ended} conversations in the last ${windowMinutes} minutes ended in an error (${Math.round((f.failed * 100) / f.ended)}%, more than ${percent}%). Open Conversations, filter by Failed, to see where they stopped.`,
        }));
    case 'handoff_waiting': {
      const { waiting, oldest } = await repository.handoffsWaiting(db, rule.workspaceId, minutes);
      if (waiting === 0 || oldest === null) return [];
      return [
        {
          subject: 'handoffs',
          message: `${waiting} ${waiting === 1 ? 'conversation has' : 'conversations have'} waited for a person for more than ${minutes} minutes (the longest for ${minutesSince(oldest, now)} minutes). Open Conversations and answer them, or hand them back to the bot.`,
        },
      ];
    }
    case 'outbox_backlog':
      return (await repository.outboxBacklog(db, rule.workspaceId, minutes))
        .filter((n) => n.waiting >= count)
        .map((n) => ({
          subject: `outbox:${n.id}`,
          message: `${n.waiting} ${n.waiting === 1 ? 'reply' : 'replies'} from ${numberName(n)} have waited more than ${minutes} minutes to be sent. Check on the Numbers page that the number is connected.`,
        }));
    case 'memory_restarts':
      return (await repository.memoryRestarts(db, rule.workspaceId, windowMinutes, MEMORY_RESTART_DETAIL))
        .filter((n) => n.restarts >= count)
        .map((n) => ({
          subject: `restarts:${n.id}`,
          message: `The browser of WhatsApp number ${numberName(n)} was restarted ${n.restarts} times in the last ${windowMinutes} minutes because it used too much memory; conversations pause during each restart. Ask whoever runs Parley to raise PARLEY_WA_MAX_MEMORY_MB or give the server more memory.`,
        }));
    case 'conversation_tests_failed':
      return (await repository.failingTestSchedules(db, rule.workspaceId)).map((f) => ({
        subject: `tests:${f.id}`,
        message: `Flow "${f.name}": ${f.failed} of ${f.total} conversation ${f.total === 1 ? 'test' : 'tests'} failed on the scheduled run of version ${f.version} (${minutesSince(f.at, now)} minutes ago): the live flow no longer answers as they expect. Open the flow's Tests to see what changed.`,
      }));
    case 'handoff_started':
      return (await repository.handoffsUnanswered(db, rule.workspaceId)).map((h) => {
        const link = inboxLink(publicUrl, h.id);
        const waited = Math.floor((now.getTime() - h.since.getTime()) / 60_000);
        return {
          subject: `conversation:${h.id}`,
          message: `A contact is waiting for a person: ${contactName(h)} on WhatsApp number ${numberName(h.number)}, handed over by the flow "${h.flowName}" ${waited < 1 ? 'just now' : `${waited} ${waited === 1 ? 'minute' : 'minutes'} ago`}. Open the Inbox in Parley to answer${link === null ? '' : ` (${link})`}.`,
        };
      });
  }
}
