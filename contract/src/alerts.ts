/** Request and response schemas of the /alert-rules and /alerts routes: what to watch, and what fired. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid } from './common.js';
import { ALERT_CHANNELS, ALERT_DELIVERY_STATUSES, ALERT_KINDS } from './enum-values.js';
import { literalUnion } from './enums.js';

export type AlertKind = (typeof ALERT_KINDS)[number];
export const AlertKind = literalUnion(ALERT_KINDS);

/** The thresholds of a rule; each kind reads some of them and fills the others with its defaults. */
export const AlertParams = Type.Object(
  {
    minutes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_080, description: 'How long the condition must last' }),
    ),
    percent: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        description: 'flow_failure_rate: the failure rate that alerts',
      }),
    ),
    windowMinutes: Type.Optional(
      Type.Integer({ minimum: 5, maximum: 10_080, description: 'The period counted, ending now' }),
    ),
    count: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000,
        description:
          'outbox_backlog: waiting replies; memory_restarts: restarts; flow_failure_rate: fewest conversations counted',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AlertParams = Static<typeof AlertParams>;

/** What each kind reads, and its value where a rule leaves it out (the API and the UI share them). */
export const ALERT_DEFAULTS: Record<AlertKind, AlertParams> = {
  number_down: { minutes: 10 },
  flow_failure_rate: { percent: 20, windowMinutes: 60, count: 5 },
  handoff_waiting: { minutes: 15 },
  outbox_backlog: { minutes: 10, count: 1 },
  memory_restarts: { windowMinutes: 60, count: 3 },
  conversation_tests_failed: {},
  handoff_started: {},
};

const Emails = Type.Array(Type.String({ format: 'email', maxLength: 254 }), {
  maxItems: 20,
  uniqueItems: true,
});
const WebhookUrl = Nullable(
  Type.String({
    maxLength: 2000,
    pattern: '^https?://',
    description: 'Slack, Teams or any endpoint taking JSON; signed with the workspace signing secret',
  }),
);

export const AlertRule = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: AlertKind,
  params: AlertParams,
  enabled: Type.Boolean(),
  webhookUrl: Nullable(Type.String()),
  emails: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const AlertRuleList = Type.Object({ items: Type.Array(AlertRule) });

export const CreateAlertRuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: AlertKind,
    params: Type.Optional(AlertParams),
    enabled: Type.Optional(Type.Boolean()),
    webhookUrl: Type.Optional(WebhookUrl),
    emails: Type.Optional(Emails),
  },
  { additionalProperties: false },
);
export const UpdateAlertRuleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    params: Type.Optional(AlertParams),
    enabled: Type.Optional(Type.Boolean()),
    webhookUrl: Type.Optional(WebhookUrl),
    emails: Type.Optional(Emails),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AlertDelivery = Type.Object({
  event: literalUnion(['opened', 'resolved'] as const),
  channel: literalUnion(ALERT_CHANNELS),
  status: literalUnion(ALERT_DELIVERY_STATUSES),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  updatedAt: Timestamp,
});

export const Alert = Type.Object({
  id: Uuid,
  ruleId: Uuid,
  ruleName: Type.String(),
  kind: AlertKind,
  subject: Type.String(),
  message: Type.String(),
  openedAt: Timestamp,
  resolvedAt: Nullable(Timestamp),
  deliveries: Type.Array(AlertDelivery),
});
export const AlertList = Type.Object({ items: Type.Array(Alert) });

export type AlertRule = Static<typeof AlertRule>;
export type CreateAlertRuleBody = Static<typeof CreateAlertRuleBody>;
export type UpdateAlertRuleBody = Static<typeof UpdateAlertRuleBody>;
export type AlertDelivery = Static<typeof AlertDelivery>;
export type Alert = Static<typeof Alert>;
