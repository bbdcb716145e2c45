import { createHash, randomUUID } from 'node:crypto';
import { type BusChannel, busChannels, type InboxActivity, type PayloadOf, publish } from '@parley/bus';
import {
  type AgentMessageResult,
  type Assignment,
  type Attachment,
  atLeast,
  Conflict,
  ConversationNotFound,
  INBOX_ATTACHMENT_TYPES,
  type InboxActivityKind,
  Invalid,
  type ReadResult,
  type ResumeResult,
  type Role,
  Unprocessable,
} from '@parley/contract';
import {
  contactMediaPrefix,
  downloadName,
  MEDIA_URL_PREFIX,
  mediaKey,
  parseMediaKey,
  type Queryable,
} from '@parley/db';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { DEFAULT_MAX_UPLOAD_BYTES, decodeUpload } from '../simulator/simulator.service.js';
import type {
  ConversationDetail,
  ConversationRecord,
  ConversationsRepository,
} from './conversations.repository.js';
import { personName } from './people.js';
import { stepName } from './transcript-names.js';

const ATTACHMENT_TYPES: readonly string[] = INBOX_ATTACHMENT_TYPES;

/**
 * The id of an agent's request (a reply, a hand-back): fixed by the request's Idempotency-Key, so a
 * retried request finds the control row it queued the first time and queues no second one (a 202
 * answer is not kept by the idempotency store: the retry runs again).
 */
function requestId(caller: Caller, conversationId: string, idempotencyKey: string | null): string {
  if (idempotencyKey === null) return randomUUID();
  const hex = createHash('sha256')
    .update(
      `${caller.workspaceId}\n${caller.userId}\n${caller.apiKeyId ?? ''}\n${conversationId}\n${idempotencyKey}`,
    )
    .digest('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What people do with a conversation handed to them: reply (text, files), take or pass it on, hand
 * it back to the bot at a block, close it, and mark what they read. Each action that must reach the
 * contact is a control row in the runtime's inbox, ordered with the contact's messages.
 */
export class HandoffService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: ConversationsRepository,
    private readonly maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES,
  ) {}

  /**
   * Ends a hand-off: queues a `release` control event in the runtime's inbox (durable, and ordered
   * with the contact's messages) and wakes the runtime. The contact's next message goes through the
   * flow's triggers again.
   */
  async release(caller: Caller, conversationId: string): Promise<{ id: string; releaseRequestedAt: string }> {
    const requestedAt = new Date().toISOString();
    const conversation = await this.api.db.transaction(async (tx) => {
      const found = await this.repository.get(tx, caller.workspaceId, conversationId, true);
      if (found === null) throw new ConversationNotFound();
      if (found.status !== 'handoff') {
        throw new Conflict('Only a conversation handed off to a human can be released.', {
          status: found.status,
        });
      }
      if (found.releasedAt !== null) {
        throw new Conflict('This hand-off was already released: the bot answers this contact again.', {
          status: found.status,
          releasedAt: found.releasedAt,
        });
      }
      if (await this.repository.hasLaterConversation(tx, found)) {
        throw new Conflict('This hand-off is over: the contact has started a new conversation since.', {
          status: found.status,
        });
      }
      if (
        found.assignedTo !== null &&
        found.assignedTo.id !== caller.userId &&
        !atLeast(caller.role, 'editor')
      )
        throw heldBy(found.assignedTo);
      if (!(await this.repository.releasePending(tx, found.numberId, found.contact))) {
        await this.repository.insertControl(tx, {
          workspaceId: caller.workspaceId,
          numberId: found.numberId,
          contact: found.contact,
          waMessageId: `release-${randomUUID()}`,
          body: { control: 'release' },
        });
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'conversation.release',
        entity: 'conversation',
        entityId: conversationId,
        before: { status: found.status },
        after: { releaseRequestedAt: requestedAt },
      });
      return found;
    });
    await this.publish(busChannels.inbound, {
      numberId: conversation.numberId,
      contact: conversation.contact,
    });
    return { id: conversationId, releaseRequestedAt: requestedAt };
  }

  /**
   * Stores a file an agent is about to send (a picture or a document, within the media size limit)
   * under the contact's media folder, where erasing the contact erases it too.
   */
  async attach(
    caller: Caller,
    conversationId: string,
    file: { name: string; mimeType: string; data: string },
  ): Promise<Attachment> {
    if (!ATTACHMENT_TYPES.includes(file.mimeType)) {
      throw new Unprocessable(
        `Files of type ${file.mimeType} cannot be sent from the inbox. Send a picture (JPEG, PNG or WebP) or a document (PDF, Word, Excel, text or CSV).`,
      );
    }
    const conversation = await this.repository.get(this.api.db, caller.workspaceId, conversationId);
    if (conversation === null) throw new ConversationNotFound();
    const bytes = decodeUpload(file.data, file.mimeType, this.maxUploadBytes);
    const key = mediaKey(caller.workspaceId, conversation.contact, file.name);
    await this.api.media.put(key, bytes, file.mimeType);
    const attachment = {
      attachmentId: (parseMediaKey(key) as { file: string }).file,
      name: downloadName(key),
      mimeType: file.mimeType,
      size: bytes.length,
    };
    await this.api.audit.record(this.api.db, {
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      action: 'conversation.attach',
      entity: 'conversation',
      entityId: conversationId,
      after: { name: attachment.name, mimeType: attachment.mimeType, size: attachment.size },
    });
    return attachment;
  }

  /**
   * Queues an agent's reply for the runtime, which sends it on the number with its pacing. The
   * holder is checked, and a free conversation taken, in the transaction that queues it: no one
   * sends over a colleague who took the conversation a moment before.
   */
  async reply(
    caller: Caller,
    conversationId: string,
    message: { text?: string; attachmentId?: string },
    idempotencyKey: string | null,
  ): Promise<AgentMessageResult> {
    const text = message.text?.trim() === '' ? undefined : message.text;
    if (text === undefined && message.attachmentId === undefined) {
      throw new Invalid('There is nothing to send: write a message or attach a file.', [
        { pointer: '/body/text', message: 'Write a message or attach a file.' },
      ]);
    }
    const id = requestId(caller, conversationId, idempotencyKey);
    const waMessageId = `agent-${id}`;
    const agent = { id: caller.userId, name: personName(caller.email) };
    const conversation = await this.repository.get(this.api.db, caller.workspaceId, conversationId);
    if (conversation === null) throw new ConversationNotFound();
    const media =
      message.attachmentId === undefined
        ? undefined
        : await this.attachment(caller.workspaceId, conversation.contact, message.attachmentId);
    const taken = await this.api.db.transaction(async (tx) => {
      const found = await this.repository.get(tx, caller.workspaceId, conversationId, true);
      if (found === null) throw new ConversationNotFound();
      // Retried with the same Idempotency-Key after the first one queued it: nothing more to do.
      if (await this.repository.controlExists(tx, found.numberId, waMessageId)) return false;
      await this.assertOpenHandoff(tx, found, 'answered');
      if (found.assignedTo !== null && found.assignedTo.id !== caller.userId) throw heldBy(found.assignedTo);
      const take = found.assignedTo === null;
      if (take)
        await this.repository.assign(
          tx,
          caller.workspaceId,
          conversationId,
          caller.userId,
          caller.userId,
          false,
        );
      await this.repository.insertControl(tx, {
        workspaceId: caller.workspaceId,
        numberId: found.numberId,
        contact: found.contact,
        waMessageId,
        body: {
          control: 'agent_message',
          ...(text === undefined ? {} : { text }),
          ...(media === undefined ? {} : { media }),
          agent,
        },
      });
      // Who answered and with what kind of message; never the text, which is the contact's business.
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'conversation.reply',
        entity: 'conversation',
        entityId: conversationId,
        after: {
          messageId: id,
          ...(media === undefined ? {} : { attachment: { mimeType: media.mimeType, size: media.size } }),
          ...(take ? { took: true } : {}),
        },
      });
      return take;
    });
    await this.publish(busChannels.inbound, {
      numberId: conversation.numberId,
      contact: conversation.contact,
    });
    if (taken) await this.announce(caller.workspaceId, conversation, 'assigned');
    return { id, status: 'queued' };
  }

  /**
   * Gives the conversation to a person of the team (null: to no one). One holder at a time: taking
   * or giving away a conversation someone else holds is for editors and admins.
   */
  async assign(caller: Caller, conversationId: string, userId: string | null): Promise<Assignment> {
    if (userId !== null && userId !== caller.userId) {
      const member = await this.repository.member(this.api.db, caller.workspaceId, userId);
      if (member === null || !atLeast(member.role as Role, 'agent')) {
        throw new Unprocessable(
          'A conversation can only be given to an agent, editor or admin of this workspace. Pick someone from the team.',
          [{ pointer: '/body/userId', message: 'Not an agent, editor or admin of this workspace.' }],
        );
      }
    }
    const { conversation, assignment } = await this.api.db.transaction(async (tx) => {
      const before = await this.repository.get(tx, caller.workspaceId, conversationId);
      if (before === null) throw new ConversationNotFound();
      const assigned = await this.repository.assign(
        tx,
        caller.workspaceId,
        conversationId,
        userId,
        caller.userId,
        atLeast(caller.role, 'editor'),
      );
      if (assigned === null) {
        // Read again: a colleague who won a race for it committed before this update gave up.
        const now = (await this.repository.get(tx, caller.workspaceId, conversationId)) ?? before;
        await this.assertOpenHandoff(tx, now, userId === caller.userId ? 'taken' : 'assigned');
        throw heldBy(now.assignedTo ?? { id: '', name: 'Someone else' });
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'conversation.assign',
        entity: 'conversation',
        entityId: conversationId,
        before: { assignedTo: before.assignedTo?.id ?? null },
        after: { assignedTo: assigned.assignedTo?.id ?? null },
      });
      return { conversation: before, assignment: assigned };
    });
    await this.announce(caller.workspaceId, conversation, 'assigned');
    return { id: conversationId, ...assignment };
  }

  /** Hands the conversation back to the bot at a block of its flow version, keeping its variables. */
  async resume(
    caller: Caller,
    conversationId: string,
    nodeId: string,
    idempotencyKey: string | null,
  ): Promise<ResumeResult> {
    const requestedAt = new Date().toISOString();
    const waMessageId = `resume-${requestId(caller, conversationId, idempotencyKey)}`;
    const conversation = await this.api.db.transaction(async (tx) => {
      const found = await this.repository.get(tx, caller.workspaceId, conversationId, true);
      if (found === null) throw new ConversationNotFound();
      if (await this.repository.controlExists(tx, found.numberId, waMessageId)) return found;
      await this.assertOpenHandoff(tx, found, 'handed back to the bot');
      const definition = await this.repository.definition(tx, caller.workspaceId, conversationId);
      if (stepName(definition, nodeId) === null) {
        throw new Unprocessable(
          `The flow version this conversation runs has no block “${nodeId}”. Pick one of its blocks to continue from.`,
          [{ pointer: '/body/nodeId', message: 'Not a block of this conversation’s flow version.' }],
        );
      }
      if (
        found.assignedTo !== null &&
        found.assignedTo.id !== caller.userId &&
        !atLeast(caller.role, 'editor')
      )
        throw heldBy(found.assignedTo);
      await this.repository.insertControl(tx, {
        workspaceId: caller.workspaceId,
        numberId: found.numberId,
        contact: found.contact,
        waMessageId,
        body: { control: 'resume', nodeId },
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'conversation.resume',
        entity: 'conversation',
        entityId: conversationId,
        before: { status: found.status, currentNode: found.currentNode },
        after: { resumeRequestedAt: requestedAt, nodeId },
      });
      return found;
    });
    await this.publish(busChannels.inbound, {
      numberId: conversation.numberId,
      contact: conversation.contact,
    });
    return { id: conversationId, resumeRequestedAt: requestedAt };
  }

  /** Marks the conversation read up to a message: the inbox's unread counts start after it. */
  async read(caller: Caller, conversationId: string, messageId: number): Promise<ReadResult> {
    const conversation = await this.repository.get(this.api.db, caller.workspaceId, conversationId);
    if (conversation === null) throw new ConversationNotFound();
    const marked = await this.repository.markRead(this.api.db, caller.workspaceId, conversationId, messageId);
    if (marked === null) {
      throw new Unprocessable('That message is not part of this conversation. Reload it and try again.', [
        { pointer: '/body/messageId', message: 'Not a message of this conversation.' },
      ]);
    }
    await this.announce(caller.workspaceId, conversation, 'read');
    return { id: conversationId, ...marked };
  }

  /** An uploaded attachment of the contact's, as the runtime sends it; refused when it is gone. */
  private async attachment(
    workspaceId: string,
    contact: string,
    attachmentId: string,
  ): Promise<{ url: string; mimeType: string; name: string; size: number }> {
    const key = `${contactMediaPrefix(workspaceId, contact)}${attachmentId}`;
    const stored = parseMediaKey(key) === null ? null : await this.api.media.get(key);
    if (stored === null) {
      throw new Unprocessable(
        'That file is no longer here (or was uploaded for another conversation). Attach it again.',
        [{ pointer: '/body/attachmentId', message: 'No such attachment in this conversation.' }],
      );
    }
    // Only its type and size are needed here: the runtime reads the file when it sends it.
    stored.body.destroy();
    return {
      url: `${MEDIA_URL_PREFIX}${key}`,
      mimeType: stored.mimeType,
      name: downloadName(key),
      size: stored.size,
    };
  }

  /** Refuses (409, in words) an inbox action on a conversation that is not an open hand-off. */
  private async assertOpenHandoff(
    tx: Queryable,
    conversation: ConversationDetail,
    done: string,
  ): Promise<void> {
    if (conversation.status !== 'handoff') {
      throw new Conflict(
        `This conversation is not with a person (the bot has it, or it has ended), so it cannot be ${done} from the inbox.`,
        { status: conversation.status },
      );
    }
    if (conversation.releasedAt !== null) {
      throw new Conflict(
        `This hand-off was closed: the bot answers this contact again, so it cannot be ${done} from the inbox.`,
        { status: conversation.status, releasedAt: conversation.releasedAt },
      );
    }
    if (await this.repository.hasLaterConversation(tx, conversation)) {
      throw new Conflict('This hand-off is over: the contact has started a new conversation since.', {
        status: conversation.status,
      });
    }
  }

  /** Tells the workspace's open inboxes that the conversation changed. */
  private async announce(
    workspaceId: string,
    conversation: ConversationRecord,
    kind: InboxActivityKind,
  ): Promise<void> {
    const activity: InboxActivity = {
      workspaceId,
      conversationId: conversation.id,
      numberId: conversation.numberId,
      contact: conversation.contact,
      kind,
      isTest: conversation.isTest,
      at: Date.now(),
    };
    await this.publish(busChannels.inboxActivity, activity);
  }

  /** Bus messages are notifications: runtimes also read the database, so a lost one is logged, not fatal. */
  private async publish<C extends BusChannel>(channel: C, message: PayloadOf<C>): Promise<void> {
    await publish(this.api.bus, channel, message).catch((error: unknown) => {
      this.api.logger.warn({ err: error, channel: channel.name }, 'could not publish on the bus');
    });
  }
}

/** The refusal when a colleague holds the conversation, naming them. */
function heldBy(holder: { id: string; name: string }): Conflict {
  return new Conflict(
    `${holder.name} is answering this conversation. Ask them to pass it to you, or an editor or admin to reassign it.`,
    { assignedTo: holder },
    'held_by_someone_else',
  );
}
