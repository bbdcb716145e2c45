import { Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import { IdParams, Timestamp, Uuid, VersionNumber } from '../../http/schemas.js';
import { type SimulatorService, UPLOAD_TYPES } from './simulator.service.js';

const Status = Type.String({
  description:
    'The contact’s latest conversation: none, active, completed, failed, handoff, expired or abandoned',
});
const Choice = Type.Object(
  { id: Type.String(), label: Type.String(), value: Type.Unknown() },
  { additionalProperties: true },
);
const messageFields = {
  text: Type.String(),
  choices: Type.Optional(Type.Array(Choice)),
  media: Type.Optional(Type.Object({}, { additionalProperties: true, description: '{url, kind, caption?}' })),
  render: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('poll')])),
};
const BotMessage = Type.Object(messageFields);
const TranscriptEntry = Type.Object({
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  ...messageFields,
  status: Type.String({
    description: 'in: received, processed; out: queued, sending, sent, delivered, read, failed',
  }),
  at: Timestamp,
});
const Variables = Type.Record(Type.String(), Type.Unknown());
const Session = Type.Object({
  id: Uuid,
  flowId: Uuid,
  version: Type.Union([Type.Integer(), Type.Literal('draft')]),
  contact: Type.Object({ phone: Type.String(), name: Type.Optional(Type.String()) }),
  messages: Type.Array(TranscriptEntry),
  truncated: Type.Boolean({
    description: 'Earlier messages were left out: only the latest 5,000 are returned',
  }),
  status: Status,
  answers: Variables,
  variables: Variables,
});
const CreateBody = Type.Object(
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
const MessageBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
const FileBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mimeType: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.String({ minLength: 1, description: 'The file’s bytes, base64-encoded' }),
    caption: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);
const LocationBody = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90, 'x-message': 'Latitude must be between -90 and 90.' }),
    lng: Type.Number({ minimum: -180, maximum: 180, 'x-message': 'Longitude must be between -180 and 180.' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
const Reply = Type.Object({
  messages: Type.Array(BotMessage),
  status: Status,
  answers: Variables,
  variables: Variables,
});

const Pending = Type.Object({
  stored: Type.Literal(true),
  replyPending: Type.Literal(true),
  message: Type.String({ description: 'Why the reply is not here yet, in plain words' }),
});

export function simulatorRoutes(simulator: SimulatorService): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/simulator/sessions',
      summary: 'Start a live test of a flow’s draft (or of a version) through the runtime',
      tag: 'simulator',
      access: 'editor',
      body: CreateBody,
      responses: {
        201: { description: 'The session', schema: Session },
        422: { description: 'The draft has errors (details.errors)' },
      },
      handler: async ({ caller, body }) => ({
        status: 201,
        body: await simulator.create(caller, body.flowId, body.version ?? 'draft', body.contact ?? {}),
      }),
    }),
    route({
      method: 'get',
      path: '/simulator/sessions/{id}',
      summary: 'A session’s transcript so far and the conversation’s status',
      tag: 'simulator',
      access: 'editor',
      params: IdParams,
      responses: { 200: { description: 'The session', schema: Session } },
      handler: async ({ caller, params }) => ({ status: 200, body: await simulator.get(caller, params.id) }),
    }),
    route({
      method: 'post',
      path: '/simulator/sessions/{id}/messages',
      summary: 'Send a message as the contact and get the bot’s replies once the runtime has answered',
      tag: 'simulator',
      access: 'editor',
      params: IdParams,
      body: MessageBody,
      description:
        'Send an Idempotency-Key with each typed message and reuse it when retrying: the message is stored once and the retry gets its reply. A 202 means the message is stored but its reply is not ready (the runtime did not answer within 15 s, or the database failed after storing it): it appears in the transcript, and a retry with the same key returns it once it is there.',
      responses: {
        200: { description: 'The bot’s replies and the conversation after them', schema: Reply },
        202: { description: 'The message is stored; the reply is not ready yet', schema: Pending },
        503: {
          description:
            'No runtime recorded the message (none is running, or the database did not answer); it may not be stored: retry with the same key',
        },
      },
      handler: async ({ caller, params, body, idempotencyKey }) =>
        simulator.send(caller, params.id, { text: body.text }, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/simulator/sessions/{id}/files',
      summary: 'Send a file (a picture, a document…) as the contact, as WhatsApp would deliver it',
      description: `The file is base64 in \`data\`, at most PARLEY_MEDIA_MAX_MB (16 MB by default); allowed types: ${UPLOAD_TYPES.join(', ')}. It is stored like a received file and answers media questions. Replies as for a typed message.`,
      tag: 'simulator',
      access: 'editor',
      params: IdParams,
      body: FileBody,
      responses: {
        200: { description: 'The bot’s replies and the conversation after them', schema: Reply },
        202: { description: 'The message is stored; the reply is not ready yet', schema: Pending },
        413: { description: 'The file is too large (the message names the limit)' },
        422: { description: 'This type of file cannot be sent' },
      },
      handler: async ({ caller, params, body, idempotencyKey }) =>
        simulator.sendFile(caller, params.id, body, idempotencyKey),
    }),
    route({
      method: 'post',
      path: '/simulator/sessions/{id}/locations',
      summary: 'Send a location as the contact (answers location questions)',
      tag: 'simulator',
      access: 'editor',
      params: IdParams,
      body: LocationBody,
      responses: {
        200: { description: 'The bot’s replies and the conversation after them', schema: Reply },
        202: { description: 'The message is stored; the reply is not ready yet', schema: Pending },
      },
      handler: async ({ caller, params, body, idempotencyKey }) =>
        simulator.send(caller, params.id, { location: body }, idempotencyKey),
    }),
    route({
      method: 'delete',
      path: '/simulator/sessions/{id}',
      summary: 'End a session and delete its test conversations',
      tag: 'simulator',
      access: 'editor',
      params: IdParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ caller, params }) => {
        await simulator.remove(caller, params.id);
        return { status: 204 };
      },
    }),
  ];
}
