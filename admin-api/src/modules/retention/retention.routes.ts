import { Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import type { RetentionService } from './retention.service.js';

const Counts = Type.Object({
  conversations: Type.Integer(),
  messages: Type.Integer(),
  responses: Type.Integer(),
});
const Retention = Type.Object({
  retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()]),
});

export function retentionRoutes(retention: RetentionService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/workspace/retention',
      summary: 'How long finished conversations are kept (null: forever)',
      tag: 'retention',
      access: 'admin',
      responses: { 200: { description: 'The setting', schema: Retention } },
      handler: async ({ caller }) => ({ status: 200, body: await retention.get(caller) }),
    }),
    route({
      method: 'put',
      path: '/workspace/retention',
      summary: 'Keep finished conversations, their messages and answers for this many days (null: forever)',
      tag: 'retention',
      access: 'admin',
      body: Type.Object(
        { retentionDays: Retention.properties.retentionDays },
        { additionalProperties: false },
      ),
      responses: { 200: { description: 'Saved', schema: Retention } },
      handler: async ({ caller, body }) => ({
        status: 200,
        body: await retention.set(caller, body.retentionDays),
      }),
    }),
    route({
      method: 'delete',
      path: '/contacts/{phone}',
      summary: 'Erase everything stored about a contact (conversations, messages, answers, state)',
      tag: 'retention',
      access: 'admin',
      params: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 64 }) }),
      responses: { 200: { description: 'What was erased', schema: Counts } },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await retention.purgeContact(caller, params.phone),
      }),
    }),
  ];
}
