/** The GET /status response: an admin's view of how the workspace's WhatsApp numbers are running. */
import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common.js';
import { literalUnion, SessionState } from './enums.js';
import { SessionReason } from './numbers.js';

const Count = Type.Integer({ minimum: 0 });
const NullableTime = Type.Union([Timestamp, Type.Null()]);

export const NumberStatus = Type.Object({
  id: Uuid,
  phone: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  state: SessionState,
  /** When the runtime last recorded the number's state. */
  since: NullableTime,
  hasSession: Type.Boolean({ description: 'Whether a logged-in WhatsApp session is saved for the number' }),
  reason: Type.Union([SessionReason, Type.Null()], {
    description: 'Why the number is in its state (null when there is nothing to explain)',
  }),
  heldBy: Type.Union(
    [
      Type.Object({
        runtime: Type.String({ description: 'The runtime process holding the number’s WhatsApp session' }),
        since: Timestamp,
      }),
      Type.Null(),
    ],
    { description: 'Null: no runtime has taken this number yet' },
  ),
  inbox: Type.Integer({ minimum: 0, description: 'Contact messages received and not handled yet' }),
  outbox: Type.Integer({ minimum: 0, description: 'Replies waiting to be sent' }),
  oldestWaitingSince: Type.Union([Timestamp, Type.Null()], {
    description: 'When the oldest reply still waiting to be sent was queued',
  }),
  failedSends24h: Type.Integer({
    minimum: 0,
    description: 'Replies that could not be sent in the last 24 hours',
  }),
  callsInFlight: Type.Integer({ minimum: 0, description: 'HTTP request blocks waiting for their answer' }),
});

export const RecentProblem = Type.Object({
  at: Timestamp,
  kind: literalUnion(['send', 'connection', 'alert_notice'] as const, {
    description: 'A reply not sent, a connection trouble, or an alert notice (webhook, email) not delivered',
  }),
  /** The number it concerns; null for an alert notice. */
  numberId: Type.Union([Uuid, Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
});

export const WorkspaceStatus = Type.Object({
  numbers: Type.Array(NumberStatus),
  recentProblems: Type.Array(RecentProblem, { description: 'The last 7 days, newest first (at most 20)' }),
  totals: Type.Object({ inbox: Count, outbox: Count, failedSends24h: Count }),
  alerts: Type.Object(
    {
      open: Count,
      noticesPending: Type.Integer({ minimum: 0, description: 'Alert notices still being tried' }),
      noticesFailed24h: Type.Integer({
        minimum: 0,
        description: 'Alert notices that could not be delivered in the last 24 hours',
      }),
    },
    { description: 'Open alerts, and how their webhook and email notices are being delivered' },
  ),
  checkedAt: Timestamp,
});

export type NumberStatus = Static<typeof NumberStatus>;
export type RecentProblem = Static<typeof RecentProblem>;
export type WorkspaceStatus = Static<typeof WorkspaceStatus>;
