import { type TSchema, Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import { CursorQuery, IdParams, Page, Timestamp, Uuid } from '../../http/schemas.js';
import { TRANSCRIPT_LIMIT } from './conversations.repository.js';
import type { ConversationsService } from './conversations.service.js';

const Status = Type.Union([
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('handoff'),
  Type.Literal('expired'),
  Type.Literal('abandoned'),
]);
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const conversationFields = {
  id: Uuid,
  numberId: Uuid,
  contact: Type.String({ description: 'The contact’s phone (E.164) or channel id' }),
  contactName: Nullable(Type.String()),
  flowId: Uuid,
  flowName: Nullable(Type.String()),
  flowVersion: Type.Integer({ description: '0 for a simulator session’s draft snapshot' }),
  status: Status,
  currentNode: Nullable(Type.String()),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  endedAt: Nullable(Timestamp),
  releasedAt: Nullable(Timestamp),
  isTest: Type.Boolean({ description: 'A simulator (live test) conversation' }),
};
const ConversationItem = Type.Object(conversationFields);
const Message = Type.Object({
  id: Type.Integer(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  type: Type.String({ description: 'text, media, location, or control (an admin action such as a release)' }),
  body: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String({
    description: 'in: received, processed; out: queued, sending, sent, delivered, read, failed',
  }),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const ConversationDetail = Type.Object({
  ...conversationFields,
  variables: Type.Record(Type.String(), Type.Unknown()),
  answers: Type.Record(Type.String(), Type.Unknown()),
  endReason: Nullable(Type.String()),
  messages: Type.Array(Message, {
    description: `The conversation’s messages, oldest first: the last ${TRANSCRIPT_LIMIT} when it has more`,
  }),
  messageCount: Type.Integer({ minimum: 0, description: 'How many messages the conversation has in all' }),
  truncated: Type.Boolean({
    description:
      'True when messages holds only the last ones: the earlier messageCount − messages.length are left out',
  }),
});
const ListQuery = Type.Object({
  ...CursorQuery,
  numberId: Type.Optional(Uuid),
  flowId: Type.Optional(Uuid),
  status: Type.Optional(
    Type.Union(Status.anyOf, {
      description:
        'handoff: conversations waiting for a person (a released hand-off has ended and is left out)',
    }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Started at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Started before' })),
  includeTest: Type.Optional(
    Type.Boolean({ default: false, description: 'Include simulator conversations' }),
  ),
});

export function conversationRoutes(conversations: ConversationsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/conversations',
      summary: 'Conversations, newest first (filters, cursor pagination; test data only with includeTest)',
      tag: 'conversations',
      access: 'viewer',
      query: ListQuery,
      responses: { 200: { description: 'A page of conversations', schema: Page(ConversationItem) } },
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
          schema: Type.Object({ id: Uuid, releaseRequestedAt: Timestamp }),
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
