import {
  AssignFlowBody,
  ConnectBody,
  CreateNumberBody,
  IdParams,
  NumberList,
  UpdateNumberBody,
  WhatsAppNumber,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import { openEventStream } from '../../http/sse.js';
import type { NumbersService } from './numbers.service.js';

export function numberRoutes(numbers: NumbersService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/numbers',
      summary: 'The WhatsApp numbers of the workspace, with their session state and flow',
      tag: 'numbers',
      access: 'viewer',
      responses: { 200: { description: 'Numbers', schema: NumberList } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await numbers.list(caller) } }),
    }),
    route({
      method: 'post',
      path: '/numbers',
      summary: 'Register a WhatsApp number (E.164)',
      tag: 'numbers',
      access: 'admin',
      body: CreateNumberBody,
      responses: {
        201: { description: 'Registered', schema: WhatsAppNumber },
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
      responses: { 200: { description: 'The number', schema: WhatsAppNumber } },
      handler: async ({ caller, params }) => ({ status: 200, body: await numbers.get(caller, params.id) }),
    }),
    route({
      method: 'patch',
      path: '/numbers/{id}',
      summary: 'Change a number’s label or settings',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      body: UpdateNumberBody,
      responses: { 200: { description: 'Changed', schema: WhatsAppNumber } },
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
      responses: { 202: { description: 'Requested', schema: WhatsAppNumber } },
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
      path: '/numbers/{id}/cancel',
      summary: 'Stop connecting the number (a saved login is kept; Connect starts again)',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      responses: { 202: { description: 'Requested', schema: WhatsAppNumber } },
      handler: async ({ caller, params }) => ({ status: 202, body: await numbers.cancel(caller, params.id) }),
    }),
    route({
      method: 'post',
      path: '/numbers/{id}/logout',
      summary: 'Log the number out of WhatsApp and keep it disconnected',
      tag: 'numbers',
      access: 'admin',
      params: IdParams,
      responses: { 202: { description: 'Requested', schema: WhatsAppNumber } },
      handler: async ({ caller, params }) => ({ status: 202, body: await numbers.logout(caller, params.id) }),
    }),
    route({
      method: 'put',
      path: '/numbers/{id}/flow',
      summary: 'Choose the published flow that answers on the number (null: none)',
      tag: 'numbers',
      access: 'editor',
      params: IdParams,
      body: AssignFlowBody,
      responses: {
        200: { description: 'Assigned', schema: WhatsAppNumber },
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
