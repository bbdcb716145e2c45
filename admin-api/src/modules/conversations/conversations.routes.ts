import {
  AgentMessageBody,
  AgentMessageResult,
  AssigneeBody,
  Assignment,
  Attachment,
  AttachmentBody,
  ConversationDetail,
  ConversationListQuery,
  ConversationPage,
  IdParams,
  ReadBody,
  ReadResult,
  ReleaseResult,
  ResumeBody,
  ResumeResult,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { ConversationsService } from './conversations.service.js';
import type { HandoffService } from './handoff.service.js';

export function conversationRoutes(
  conversations: ConversationsService,
  handoffs: HandoffService,
): RouteDefinition[] {
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
      access: 'agent',
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
        body: await handoffs.release(caller, params.id),
      }),
    }),
    route({
      method: 'post',
      path: '/conversations/{id}/messages',
      summary: 'Answer a hand-off: the runtime sends the message on the number, with its pacing',
      description:
        'Text, a file uploaded with POST /conversations/{id}/attachments (the text is its caption), or both. Sending takes a conversation no one holds; one a colleague holds is refused (409). The message shows in the transcript with its delivery status (queued, sent, delivered, read) once the runtime has it. Retrying with the same Idempotency-Key queues it once.',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      body: AgentMessageBody,
      responses: {
        202: { description: 'Queued for the runtime', schema: AgentMessageResult },
        409: { description: 'Not an open hand-off, or a colleague holds it' },
        422: { description: 'The attachment is gone' },
      },
      handler: async ({ caller, params, body, idempotencyKey }) => ({
        status: 202,
        body: await handoffs.reply(caller, params.id, body, idempotencyKey),
      }),
    }),
    route({
      method: 'post',
      path: '/conversations/{id}/attachments',
      summary: 'Upload a picture or document to send in a reply (base64, within the media size limit)',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      body: AttachmentBody,
      responses: {
        201: { description: 'Stored; send it with POST /conversations/{id}/messages', schema: Attachment },
        413: { description: 'Larger than the media size limit' },
        422: { description: 'Not a picture or document type that can be sent' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 201,
        body: await handoffs.attach(caller, params.id, body),
      }),
    }),
    route({
      method: 'put',
      path: '/conversations/{id}/assignee',
      summary: 'Take a hand-off (your own id), give it to a colleague, or leave it to no one (null)',
      description:
        'One person holds a hand-off at a time. A conversation a colleague holds can only be reassigned by an editor or admin (409 otherwise, naming the holder). Only agents, editors and admins of the workspace can hold one (422).',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      body: AssigneeBody,
      responses: {
        200: { description: 'Who holds it now', schema: Assignment },
        409: { description: 'Not an open hand-off, or a colleague holds it' },
        422: { description: 'That person cannot hold conversations here' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await handoffs.assign(caller, params.id, body.userId),
      }),
    }),
    route({
      method: 'post',
      path: '/conversations/{id}/resume',
      summary: 'Hand a conversation back to the bot at a block of its flow, keeping what it has collected',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      body: ResumeBody,
      responses: {
        202: { description: 'Queued for the runtime', schema: ResumeResult },
        409: { description: 'Not an open hand-off, or a colleague holds it' },
        422: { description: 'No such block in the conversation’s flow version' },
      },
      handler: async ({ caller, params, body, idempotencyKey }) => ({
        status: 202,
        body: await handoffs.resume(caller, params.id, body.nodeId, idempotencyKey),
      }),
    }),
    route({
      method: 'post',
      path: '/conversations/{id}/read',
      summary: 'Mark a conversation read up to a message (the inbox counts unread messages after it)',
      tag: 'inbox',
      access: 'agent',
      params: IdParams,
      body: ReadBody,
      responses: {
        200: { description: 'The read mark and what is still unread', schema: ReadResult },
        422: { description: 'Not a message of this conversation' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await handoffs.read(caller, params.id, body.messageId),
      }),
    }),
  ];
}
