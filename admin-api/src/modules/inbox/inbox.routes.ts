import { InboxList, InboxPeople, InboxQuery, InboxSummary } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import { openEventStream } from '../../http/sse.js';
import type { InboxService } from './inbox.service.js';

export function inboxRoutes(inbox: InboxService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/inbox',
      summary: 'Open hand-offs: waiting for someone (oldest first), the caller’s, or all of them',
      tag: 'inbox',
      access: 'agent',
      query: InboxQuery,
      responses: { 200: { description: 'The hand-offs, oldest first', schema: InboxList } },
      handler: async ({ caller, query }) => ({
        status: 200,
        body: { items: await inbox.list(caller, query.view ?? 'waiting', query.includeTest ?? true) },
      }),
    }),
    route({
      method: 'get',
      path: '/inbox/summary',
      summary: 'How many hand-offs wait for someone, how many the caller holds, and their unread messages',
      tag: 'inbox',
      access: 'agent',
      responses: { 200: { description: 'The figures', schema: InboxSummary } },
      handler: async ({ caller }) => ({ status: 200, body: await inbox.summary(caller) }),
    }),
    route({
      method: 'get',
      path: '/inbox/people',
      summary: 'The people a conversation can be given to: the workspace’s agents, editors and admins',
      tag: 'inbox',
      access: 'agent',
      responses: { 200: { description: 'The people, by name', schema: InboxPeople } },
      handler: async ({ caller }) => ({ status: 200, body: { items: await inbox.people(caller) } }),
    }),
    route({
      method: 'get',
      path: '/inbox/events',
      summary: 'Server-Sent Events: each change in the workspace’s hand-offs, as it happens',
      description:
        'Events named `activity`, data `{workspaceId, conversationId, numberId, contact, kind, isTest, at}` with kind handoff, contact_message, agent_message, delivery, assigned, read, resumed, released or timed_out: read the inbox or the conversation again. A comment every 15 s keeps the connection open.',
      tag: 'inbox',
      access: 'agent',
      responses: {
        200: { description: 'An event stream of `activity` events', contentType: 'text/event-stream' },
      },
      handler: async ({ caller, request, response }) => {
        await inbox.stream(caller, () => openEventStream(request, response));
        return 'streamed';
      },
    }),
  ];
}
