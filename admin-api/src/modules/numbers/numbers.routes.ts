import { Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import { IdParams, Timestamp, Uuid } from '../../http/schemas.js';
import { openEventStream } from '../../http/sse.js';
import type { NumbersService } from './numbers.service.js';

const PHONE_MESSAGE = 'Must be a phone number in international format, like +14155550123.';
const Phone = Type.String({ format: 'phone', maxLength: 20, 'x-message': PHONE_MESSAGE });

const SessionState = Type.String({
  description: 'disconnected, starting, qr_pending, connected, reconnecting, logged_out or failed',
});
const NumberView = Type.Object({
  id: Uuid,
  phone: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  channel: Type.Union([Type.Literal('whatsapp'), Type.Literal('simulator')]),
  state: SessionState,
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
const CreateBody = Type.Object(
  { phone: Phone, label: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
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
const ConnectBody = Type.Object(
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
const AssignBody = Type.Object(
  {
    flowId: Type.Union([Uuid, Type.Null()], {
      description: 'A published flow of the workspace, or null for none',
    }),
  },
  { additionalProperties: false },
);

export function numberRoutes(numbers: NumbersService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/numbers',
      summary: 'The WhatsApp numbers of the workspace, with their session state and flow',
      tag: 'numbers',
      access: 'viewer',
      responses: { 200: { description: 'Numbers', schema: Type.Object({ items: Type.Array(NumberView) }) } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await numbers.list(caller) } }),
    }),
    route({
      method: 'post',
      path: '/numbers',
      summary: 'Register a WhatsApp number (E.164)',
      tag: 'numbers',
      access: 'admin',
      body: CreateBody,
      responses: {
        201: { description: 'Registered', schema: NumberView },
        409: { description: 'The workspace already has this number' },
      },
      handler: async ({ caller, body }) => ({
        status: 201,
        body: await numbers.create(caller, body.phone, body.label),
      }),
    }),
    route({
      method: 'get',
      path: '/numbers/{id}',
      summary: 'One number',
      tag: 'numbers',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'The number', schema: NumberView } },
      handler: async ({ caller, params }) => ({ status: 200, body: await numbers.get(caller, params.id) }),
    }),
    route({
      method: 'patch',
      path: '/numbers/{id}',
      summary: 'Change a number’s label or settings',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      body: UpdateBody,
      responses: { 200: { description: 'Changed', schema: NumberView } },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await numbers.update(caller, params.id, {
          ...(body.label === undefined ? {} : { label: body.label }),
          ...(body.settings === undefined ? {} : { settings: body.settings }),
        }),
      }),
    }),
    route({
      method: 'delete',
      path: '/numbers/{id}',
      summary: 'Delete a number with its conversations (log it out first)',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      responses: {
        204: { description: 'Deleted' },
        409: { description: 'The number is connected or connecting: log it out first' },
      },
      handler: async ({ caller, params }) => {
        await numbers.remove(caller, params.id);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/numbers/{id}/connect',
      summary: 'Ask a runtime to connect the number (follow the QR or pairing code on /numbers/{id}/events)',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      body: ConnectBody,
      responses: { 202: { description: 'Requested', schema: NumberView } },
      handler: async ({ caller, params, body }) => ({
        status: 202,
        body: await numbers.connect(caller, params.id, {
          ...(body.method === undefined ? {} : { method: body.method }),
          ...(body.phone === undefined ? {} : { phone: body.phone }),
        }),
      }),
    }),
    route({
      method: 'post',
      path: '/numbers/{id}/logout',
      summary: 'Log the number out of WhatsApp and keep it disconnected',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      responses: { 202: { description: 'Requested', schema: NumberView } },
      handler: async ({ caller, params }) => ({ status: 202, body: await numbers.logout(caller, params.id) }),
    }),
    route({
      method: 'put',
      path: '/numbers/{id}/flow',
      summary: 'Choose the published flow that answers on the number (null: none)',
      tag: 'numbers',
      access: 'editor',
      params: IdParams,
      body: AssignBody,
      responses: {
        200: { description: 'Assigned', schema: NumberView },
        422: { description: 'No such flow in the workspace, or it has no published version' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await numbers.assignFlow(caller, params.id, body.flowId),
      }),
    }),
    route({
      method: 'get',
      path: '/numbers/{id}/events',
      summary:
        'Server-Sent Events: the session state now, then every change (QR, pairing code, connected, …)',
      tag: 'numbers',
      access: 'viewer',
      params: IdParams,
      responses: {
        200: {
          description:
            'An event stream of `state` events, data `{state, qr?, pairingCode?, detail?, at}`; a comment every 15 s',
          contentType: 'text/event-stream',
        },
      },
      handler: async ({ caller, params, request, response }) => {
        await numbers.streamSession(caller, params.id, () => openEventStream(request, response));
        return 'streamed';
      },
    }),
  ];
}
