import { ContactParams, RetentionBody, RetentionCounts, RetentionSetting } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { RetentionService } from './retention.service.js';

export function retentionRoutes(retention: RetentionService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/workspace/retention',
      summary: 'How long finished conversations are kept (null: forever)',
      tag: 'retention',
      access: 'admin',
      responses: { 200: { description: 'The setting', schema: RetentionSetting } },
      handler: async ({ caller }) => ({ status: 200, body: await retention.get(caller) }),
    }),
    route({
      method: 'put',
      path: '/workspace/retention',
      summary: 'Keep finished conversations, their messages and answers for this many days (null: forever)',
      tag: 'retention',
      access: 'admin',
      body: RetentionBody,
      responses: { 200: { description: 'Saved', schema: RetentionSetting } },
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
      params: ContactParams,
      responses: { 200: { description: 'What was erased', schema: RetentionCounts } },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await retention.purgeContact(caller, params.phone),
      }),
    }),
  ];
}
