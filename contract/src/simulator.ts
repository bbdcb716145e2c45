/** Request and response schemas of the /simulator routes (the editor’s live test). */

import { TurnNote } from '@parley/schemas/turn-note';
import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, Uuid, VersionNumber } from './common.js';
import { CONVERSATION_STATUSES } from './enum-values.js';
import { literalUnion, MessageDirection } from './enums.js';

/** The contact's latest conversation's status, or none before the first message. */
export const SimulatorStatus = literalUnion(['none', ...CONVERSATION_STATUSES], {
  description: 'The contact’s latest conversation (none before it starts)',
});
export const BotChoice = Type.Object(
  { id: Type.String(), label: Type.String(), value: Type.Unknown() },
  { additionalProperties: true },
);
const messageFields = {
  text: Type.String(),
  choices: Type.Optional(Type.Array(BotChoice)),
  media: Type.Optional(
    Type.Object(
      {
        url: Type.Optional(Type.String()),
        kind: Type.Optional(Type.String()),
        caption: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  ),
  render: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('poll')])),
};
export const BotMessage = Type.Object(messageFields);
export const TranscriptEntry = Type.Object({
  direction: MessageDirection,
  ...messageFields,
  status: Type.String({
    description: 'in: received, processed; out: queued, sending, sent, delivered, read, failed',
  }),
  at: Timestamp,
});
const Variables = Type.Record(Type.String(), Type.Unknown());
export const SimulatorSession = Type.Object({
  id: Uuid,
  flowId: Uuid,
  version: Type.Union([Type.Integer(), Type.Literal('draft')]),
  contact: Type.Object({ phone: Type.String(), name: Type.Optional(Type.String()) }),
  messages: Type.Array(TranscriptEntry),
  truncated: Type.Boolean({
    description: 'Earlier messages were left out: only the latest 5,000 are returned',
  }),
  status: SimulatorStatus,
  answers: Variables,
  variables: Variables,
});
export const CreateSimulatorBody = Type.Object(
  {
    flowId: Uuid,
    version: Type.Optional(
      Type.Union([VersionNumber, Type.Literal('draft')], {
        default: 'draft',
        description: 'A published version number, or "draft" (a snapshot of the current draft)',
      }),
    ),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 200 })),
          phone: Type.Optional(
            Type.String({
              format: 'phone',
              maxLength: 20,
              'x-message': 'Must be a phone number in international format, like +14155550123.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const SimulatorMessageBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
export const SimulatorFileBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mimeType: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.String({ minLength: 1, description: 'The file’s bytes, base64-encoded' }),
    caption: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export const SimulatorLocationBody = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, 'x-message': 'Latitude must be between -90 and 90.' }),
    lng: Type.Number({ minimum: -180, maximum: 180, 'x-message': 'Longitude must be between -180 and 180.' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const SimulatorReply = Type.Object({
  messages: Type.Array(BotMessage),
  notes: Type.Array(TurnNote, {
    description:
      'What the admin should know about the steps that made the reply (failed requests, refused answers…)',
  }),
  status: SimulatorStatus,
  answers: Variables,
  variables: Variables,
});

export const SimulatorPending = Type.Object({
  stored: Type.Literal(true),
  replyPending: Type.Literal(true),
  message: Type.String({ description: 'Why the reply is not here yet, in plain words' }),
});

export type BotChoice = Static<typeof BotChoice>;
export type BotMessage = Static<typeof BotMessage>;
export type TranscriptEntry = Static<typeof TranscriptEntry>;
export type SimulatorSession = Static<typeof SimulatorSession>;
export type SimulatorReply = Static<typeof SimulatorReply>;
export type SimulatorPending = Static<typeof SimulatorPending>;

/** Notes are the engine's: the contract carries them as they are. */
export { TurnNote };
