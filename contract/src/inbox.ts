/**
 * Request and response schemas of the live inbox: the /inbox lists and event stream, an agent's
 * replies, attachments, assignment, read marks and hand-backs on /conversations/{id}, and the
 * /saved-replies.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid } from './common.js';
import { INBOX_ACTIVITY_KINDS, INBOX_VIEWS } from './enum-values.js';
import { literalUnion, MessageDirection } from './enums.js';

/** The longest reply an agent may type (WhatsApp's own limit is larger; a chat message is not a letter). */
export const AGENT_TEXT_MAX = 4096;

export type InboxView = (typeof INBOX_VIEWS)[number];
export const InboxView = literalUnion(INBOX_VIEWS);

export type InboxActivityKind = (typeof INBOX_ACTIVITY_KINDS)[number];
export const InboxActivityKind = literalUnion(INBOX_ACTIVITY_KINDS);

/** A person of the workspace as the inbox names them. */
export const InboxPerson = Type.Object({
  id: Uuid,
  name: Type.String({
    description: 'How the inbox and transcripts name them: their email address before the @',
  }),
});

export const InboxQuery = Type.Object({
  view: Type.Optional(
    literalUnion(INBOX_VIEWS, {
      default: 'waiting',
      description:
        'waiting: open hand-offs no one holds, oldest first; mine: the caller’s; all: every open hand-off',
    }),
  ),
  includeTest: Type.Optional(
    Type.Boolean({ default: true, description: 'Include live-test hand-offs (marked isTest)' }),
  ),
});

export const InboxItem = Type.Object({
  id: Uuid,
  contact: Type.String({ description: 'The contact’s phone (E.164) or channel id' }),
  contactName: Nullable(Type.String()),
  flowId: Uuid,
  flowName: Nullable(Type.String()),
  numberId: Uuid,
  numberLabel: Nullable(Type.String()),
  handoffAt: Timestamp,
  assignedTo: Nullable(InboxPerson),
  unread: Type.Integer({ minimum: 0, description: 'Contact messages after the last read mark' }),
  lastMessage: Nullable(
    Type.Object({
      text: Type.String({
        description: 'The message’s text, or what it is (“Picture”, “Document (menu.pdf)”)',
      }),
      direction: MessageDirection,
      at: Timestamp,
    }),
  ),
  isTest: Type.Boolean({ description: 'A live-test conversation' }),
});
export const InboxList = Type.Object({ items: Type.Array(InboxItem) });

/** The people who can answer contacts in the workspace, to pass a conversation to. */
export const InboxPeople = Type.Object({
  items: Type.Array(InboxPerson, { description: 'Agents, editors and admins, by name' }),
});

export const InboxSummary = Type.Object({
  waiting: Type.Integer({ minimum: 0, description: 'Open hand-offs no one holds' }),
  mine: Type.Integer({ minimum: 0, description: 'Open hand-offs the caller holds' }),
  unread: Type.Integer({
    minimum: 0,
    description: 'Unread contact messages in the waiting hand-offs and the caller’s',
  }),
});

/** One event of `GET /inbox/events` (event name `activity`): what changed, not the change itself. */
export const InboxEvent = Type.Object({
  workspaceId: Type.String(),
  conversationId: Type.String(),
  numberId: Type.String(),
  contact: Type.String(),
  kind: InboxActivityKind,
  /** Whether the conversation is a live test's (the inbox marks those). */
  isTest: Type.Boolean(),
  /** Epoch ms. */
  at: Type.Number(),
});

export const AgentMessageBody = Type.Object(
  {
    text: Type.Optional(Type.String({ minLength: 1, maxLength: AGENT_TEXT_MAX })),
    attachmentId: Type.Optional(
      Type.String({
        minLength: 38,
        maxLength: 160,
        pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[A-Za-z0-9._-]+$',
        description: 'From POST /conversations/{id}/attachments; the text is then its caption',
      }),
    ),
  },
  { additionalProperties: false },
);
export const AgentMessageResult = Type.Object({
  id: Uuid,
  status: Type.Literal('queued'),
});

export const AttachmentBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mimeType: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.String({ minLength: 1, description: 'The file’s bytes, base64-encoded' }),
  },
  { additionalProperties: false },
);
export const Attachment = Type.Object({
  attachmentId: Type.String({ description: 'Send it with POST /conversations/{id}/messages' }),
  name: Type.String({ description: 'The file’s name as stored (letters, digits, dots, dashes)' }),
  mimeType: Type.String(),
  size: Type.Integer({ minimum: 1 }),
});

export const AssigneeBody = Type.Object(
  {
    userId: Nullable(Uuid),
  },
  { additionalProperties: false },
);
export const Assignment = Type.Object({
  id: Uuid,
  assignedTo: Nullable(InboxPerson),
  assignedAt: Nullable(Timestamp),
});

export const ResumeBody = Type.Object(
  { nodeId: Type.String({ minLength: 1, maxLength: 100, description: 'The block the bot continues from' }) },
  { additionalProperties: false },
);
export const ResumeResult = Type.Object({ id: Uuid, resumeRequestedAt: Timestamp });

export const ReadBody = Type.Object(
  { messageId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);
export const ReadResult = Type.Object({
  id: Uuid,
  readMessageId: Type.Integer(),
  unread: Type.Integer({ minimum: 0 }),
});

export const SavedReply = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const SavedReplyList = Type.Object({ items: Type.Array(SavedReply) });
export const SavedReplyBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 100 }),
    body: Type.String({ minLength: 1, maxLength: AGENT_TEXT_MAX }),
  },
  { additionalProperties: false },
);

export type InboxPerson = Static<typeof InboxPerson>;
export type InboxQuery = Static<typeof InboxQuery>;
export type InboxItem = Static<typeof InboxItem>;
export type InboxList = Static<typeof InboxList>;
export type InboxSummary = Static<typeof InboxSummary>;
export type InboxPeople = Static<typeof InboxPeople>;
export type InboxEvent = Static<typeof InboxEvent>;
export type AgentMessageBody = Static<typeof AgentMessageBody>;
export type AgentMessageResult = Static<typeof AgentMessageResult>;
export type AttachmentBody = Static<typeof AttachmentBody>;
export type Attachment = Static<typeof Attachment>;
export type AssigneeBody = Static<typeof AssigneeBody>;
export type Assignment = Static<typeof Assignment>;
export type ResumeBody = Static<typeof ResumeBody>;
export type ResumeResult = Static<typeof ResumeResult>;
export type ReadBody = Static<typeof ReadBody>;
export type ReadResult = Static<typeof ReadResult>;
export type SavedReply = Static<typeof SavedReply>;
export type SavedReplyBody = Static<typeof SavedReplyBody>;
