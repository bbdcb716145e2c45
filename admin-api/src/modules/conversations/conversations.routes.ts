import {
  ConversationDetail,
  ConversationListQuery,
  ConversationPage,
  IdParams,
  ReleaseResult,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { ConversationsService } from './conversations.service.js';

export function conversationRoutes(conversations: ConversationsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/conversations',
      summary: 'Conversations, newest first (filters, cursor pagination; test data only with includeTest)',
      tag: 'conversations',
      access: 'viewer',
      query: ConversationListQuery,
      responses: { 200: { description: 'A page of conversations', schema: ConversationPage } },
      handler: async ({ caller, query }) => ({
        status: 200,
        body: await conversations.list(
          caller,
          {
            includeTest: query.includeTest ?? false,
            ...(query.numberId === undefined ? {} : { numberId: query.numberId }),
            ...(query.flowId === undefined ? {} : { flowId: query.flowId }),
            ...(query.status === undefined ? {} : { status: query.status }),
            ...(query.from === undefined ? {} : { from: query.from }),
            ...(query.to === undefined ? {} : { to: query.to }),
          },
          query.cursor,
          query.limit ?? 50,
        ),
      }),
    }),
    route({
      method: 'get',
      path: '/conversations/{id}',
      summary: 'A conversation with its variables, answers and transcript (with delivery statuses)',
      tag: 'conversations',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'The conversation', schema: ConversationDetail } },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await conversations.get(caller, params.id),
      }),
    }),
    route({
      method: 'post',
      path: '/conversations/{id}/release',
      summary: 'End a hand-off: the bot answers the contact again from their next message',
      tag: 'conversations',
      access: 'editor',
      params: IdParams,
      responses: {
        202: {
          description: 'The release is queued for the runtime',
          schema: ReleaseResult,
        },
        409: { description: 'The conversation is not (or no longer) handed off' },
      },
      handler: async ({ caller, params }) => ({
        status: 202,
        body: await conversations.release(caller, params.id),
      }),
    }),
  ];
}
