import {
  CreateSimulatorBody,
  IdParams,
  SimulatorFileBody,
  SimulatorLocationBody,
  SimulatorMessageBody,
  SimulatorPending,
  SimulatorReply,
  SimulatorSession,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import { type SimulatorService, UPLOAD_TYPES } from './simulator.service.js';

export function simulatorRoutes(simulator: SimulatorService): RouteDefinition[] {
  return [
    route({
      method: 'post',
      path: '/simulator/sessions',
      summary: 'Start a live test of a flow’s draft (or of a version) through the runtime',
      tag: 'simulator',
      access: 'editor',
      body: CreateSimulatorBody,
      responses: {
        201: { description: 'The session', schema: SimulatorSession },
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
      responses: { 200: { description: 'The session', schema: SimulatorSession } },
      handler: async ({ caller, params }) => ({ status: 200, body: await simulator.get(caller, params.id) }),
    }),
    route({
      method: 'post',
      path: '/simulator/sessions/{id}/messages',
      summary: 'Send a message as the contact and get the bot’s replies once the runtime has answered',
      tag: 'simulator',
      access: 'editor',
      params: IdParams,
      body: SimulatorMessageBody,
      description:
        'Send an Idempotency-Key with each typed message and reuse it when retrying: the message is stored once and the retry gets its reply. A 202 means the message is stored but its reply is not ready (the runtime did not answer within 15 s, or the database failed after storing it): it appears in the transcript, and a retry with the same key returns it once it is there.',
      responses: {
        200: { description: 'The bot’s replies and the conversation after them', schema: SimulatorReply },
        202: { description: 'The message is stored; the reply is not ready yet', schema: SimulatorPending },
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
      body: SimulatorFileBody,
      responses: {
        200: { description: 'The bot’s replies and the conversation after them', schema: SimulatorReply },
        202: { description: 'The message is stored; the reply is not ready yet', schema: SimulatorPending },
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
      body: SimulatorLocationBody,
      responses: {
        200: { description: 'The bot’s replies and the conversation after them', schema: SimulatorReply },
        202: { description: 'The message is stored; the reply is not ready yet', schema: SimulatorPending },
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
