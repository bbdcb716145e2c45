/** Request and response schemas of the /conversations routes. */
import { TurnNote } from '@parley/schemas/turn-note';
import { type Static, Type } from '@sinclair/typebox';
import { CursorQuery, Nullable, Page, Timestamp, Uuid } from './common.js';
import { ConversationStatus, MessageDirection } from './enums.js';
import { InboxPerson } from './inbox.js';

/** The most messages a transcript returns: the newest ones, where a person picks up a conversation. */
export const TRANSCRIPT_LIMIT = 5_000;

const conversationFields = {
  id: Uuid,
  numberId: Uuid,
  contact: Type.String({ description: 'The contact’s phone (E.164) or channel id' }),
  contactName: Nullable(Type.String()),
  flowId: Uuid,
  flowName: Nullable(Type.String()),
  flowVersion: Type.Integer({ description: '0 for a simulator session’s draft snapshot' }),
  status: ConversationStatus,
  currentNode: Nullable(Type.String()),
  startedAt: Timestamp,
  updatedAt: Timestamp,
  endedAt: Nullable(Timestamp),
  releasedAt: Nullable(Timestamp),
  isTest: Type.Boolean({ description: 'A simulator (live test) conversation' }),
};
export const ConversationItem = Type.Object(conversationFields);
export const ConversationMessage = Type.Object({
  id: Type.Integer(),
  direction: MessageDirection,
  type: Type.String({ description: 'text, media or location' }),
  body: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String({
    description: 'in: received, processed; out: queued, sending, sent, delivered, read, failed',
  }),
  agent: Type.Union([InboxPerson, Type.Null()], {
    description: 'Who in the team wrote it (a reply from the inbox); null for the bot and the contact',
  }),
  error: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/**
 * A line for the team between the messages, which the contact did not see: a model's tool call and
 * its arguments, an AI block's failure and why, an answer refused.
 */
export const ConversationNote = Type.Object({
  id: Type.Integer(),
  kind: TurnNote.properties.kind,
  nodeId: Type.String({ description: 'The block it is about' }),
  text: Type.String({ description: 'What happened and why, in plain words, naming the block' }),
  afterMessageId: Nullable(
    Type.Integer({
      description:
        'The message it follows: it goes after the last shown message whose id is at most this; null: before them all',
    }),
  ),
  at: Timestamp,
});
export const ConversationDetail = Type.Object({
  ...conversationFields,
  handoffAt: Nullable(Timestamp),
  assignedTo: Nullable(InboxPerson),
  firstAgentReplyAt: Nullable(Timestamp),
  variables: Type.Record(Type.String(), Type.Unknown()),
  answers: Type.Record(Type.String(), Type.Unknown()),
  endReason: Nullable(Type.String({ description: 'Why it failed, blocks named as people name them' })),
  currentStep: Nullable(
    Type.String({
      description:
        'The block it waits at or stopped at, as people name it (Question “Preferred date”); null when none',
    }),
  ),
  answersByLabel: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The answers with each choice written by the label the contact picked',
  }),
  messages: Type.Array(ConversationMessage, {
    description: `The conversation’s messages, oldest first: the last ${TRANSCRIPT_LIMIT} when it has more`,
  }),
  notes: Type.Array(ConversationNote, {
    description:
      'Notes for the team, in the order they happened; when messages is cut, only those after its first message',
  }),
  messageCount: Type.Integer({ minimum: 0, description: 'How many messages the conversation has in all' }),
  truncated: Type.Boolean({
    description:
      'True when messages holds only the last ones: the earlier messageCount − messages.length are left out',
  }),
});
export const ConversationListQuery = Type.Object({
  ...CursorQuery,
  numberId: Type.Optional(Uuid),
  flowId: Type.Optional(Uuid),
  status: Type.Optional(
    Type.Union(ConversationStatus.anyOf, {
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
export const ConversationPage = Page(ConversationItem);
export const ReleaseResult = Type.Object({ id: Uuid, releaseRequestedAt: Timestamp });

export type ConversationItem = Static<typeof ConversationItem>;
export type ConversationMessage = Static<typeof ConversationMessage>;
export type ConversationNote = Static<typeof ConversationNote>;
export type ConversationDetail = Static<typeof ConversationDetail>;
export type ConversationPage = Static<typeof ConversationPage>;
export type ReleaseResult = Static<typeof ReleaseResult>;
/** The list's filters, as the UI keeps them (the page cursor and size apart). */
export type ConversationFilters = Omit<Static<typeof ConversationListQuery>, 'cursor' | 'limit'>;
