/** Request and response schemas of the /numbers routes. */
import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common.js';
import { Channel, SessionReasonCode, SessionState } from './enums.js';

const PHONE_MESSAGE = 'Must be a phone number in international format, like +14155550123.';
export const Phone = Type.String({ format: 'phone', maxLength: 20, 'x-message': PHONE_MESSAGE });

/** Why a number's session is in its state, in plain words, and what to do next. */
export const SessionReason = Type.Object({
  code: SessionReasonCode,
  message: Type.String({ description: 'What happened, in plain words' }),
  nextStep: Type.String({ description: 'What to do about it' }),
  detail: Type.Optional(Type.String({ description: 'The underlying error, for whoever fixes the server' })),
  attempt: Type.Optional(Type.Integer({ minimum: 1, description: 'The attempt that failed' })),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, description: 'Attempts before the number fails' })),
  retryAt: Type.Optional(Type.String({ description: 'When the next attempt starts (ISO 8601)' })),
});

export const WhatsAppNumber = Type.Object({
  id: Uuid,
  phone: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  channel: Channel,
  state: SessionState,
  reason: Type.Union([SessionReason, Type.Null()], {
    description: 'Why the number is in its state (null when there is nothing to explain)',
  }),
  hasSession: Type.Boolean({ description: 'Whether a logged-in WhatsApp session is saved for the number' }),
  desiredConnected: Type.Boolean({ description: 'Whether an admin asked for this number to be connected' }),
  settings: Type.Object({}, { additionalProperties: true }),
  flow: Type.Union([
    Type.Object({
      id: Uuid,
      name: Type.String(),
      publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateNumberBody = Type.Object(
  { phone: Phone, label: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);
export const UpdateNumberBody = Type.Object(
  {
    label: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    settings: Type.Optional(
      Type.Object(
        {
          sendPerSecond: Type.Optional(
            Type.Union([Type.Number({ minimum: 0.05, maximum: 20 }), Type.Null()], {
              description: 'Replies this number sends per second on average (default PARLEY_SEND_PER_SECOND)',
            }),
          ),
          sendBurst: Type.Optional(
            Type.Union([Type.Integer({ minimum: 1, maximum: 50 }), Type.Null()], {
              description:
                'Replies it may send back to back before the pace applies (default PARLEY_SEND_BURST)',
            }),
          ),
        },
        {
          // Only settings the runtime applies are accepted: an unknown one is refused, never stored and ignored.
          additionalProperties: false,
          description:
            'Merged into the stored settings; a key set to null is removed (back to the default). Runtimes apply them within PARLEY_FLOW_CACHE_TTL_MS.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export const ConnectBody = Type.Object(
  {
    method: Type.Optional(Type.Union([Type.Literal('qr'), Type.Literal('pairing_code')])),
    phone: Type.Optional(
      Type.String({
        format: 'phone',
        maxLength: 20,
        'x-message': PHONE_MESSAGE,
        description: 'For a pairing code: the phone to pair (default: the number’s own)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const AssignFlowBody = Type.Object(
  {
    flowId: Type.Union([Uuid, Type.Null()], {
      description: 'A published flow of the workspace, or null for none',
    }),
  },
  { additionalProperties: false },
);
export const NumberList = Type.Object({ items: Type.Array(WhatsAppNumber) });
/** One `state` event of a number's session stream (text/event-stream). */
export const SessionEvent = Type.Object({
  state: SessionState,
  qr: Type.Optional(Type.String()),
  pairingCode: Type.Optional(Type.String()),
  reason: Type.Optional(Type.Union([SessionReason, Type.Null()])),
  detail: Type.Optional(Type.Unknown()),
  at: Timestamp,
});

export type WhatsAppNumber = Static<typeof WhatsAppNumber>;
export type SessionEvent = Static<typeof SessionEvent>;
export type SessionReason = Static<typeof SessionReason>;
