import { randomUUID } from 'node:crypto';
import { busChannels, publish } from '@parley/bus';
import { Conflict, ConversationNotFound, Invalid, InvalidCursor } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type {
  ConversationDetail,
  ConversationFilters,
  ConversationRecord,
  ConversationsRepository,
  PagePosition,
  TranscriptMessage,
} from './conversations.repository.js';
import { answersByLabel, readableEndReason, stepName } from './transcript-names.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The opaque cursor of a page: where the next one starts. */
export function encodeCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.startedAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): PagePosition {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof startedAt === 'string' &&
      !Number.isNaN(Date.parse(startedAt)) &&
      typeof id === 'string' &&
      UUID.test(id)
    ) {
      return { startedAt, id };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursor();
}

/** Conversations: browse with filters, read transcripts, end hand-offs. */
export class ConversationsService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: ConversationsRepository,
  ) {}

  async list(
    caller: Caller,
    filters: ConversationFilters,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: ConversationRecord[]; nextCursor: string | null }> {
    if (
      filters.from !== undefined &&
      filters.to !== undefined &&
      Date.parse(filters.from) > Date.parse(filters.to)
    ) {
      throw new Invalid('“from” must not be after “to”.', [
        { pointer: '/query/from', message: 'Must not be after “to”.' },
      ]);
    }
    const after = cursor === undefined || cursor === '' ? null : decodeCursor(cursor);
    const page = await this.repository.list(this.api.db, caller.workspaceId, filters, after, limit);
    return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
  }

  async get(
    caller: Caller,
    conversationId: string,
  ): Promise<
    ConversationDetail & {
      currentStep: string | null;
      answersByLabel: Record<string, unknown>;
      messages: TranscriptMessage[];
      messageCount: number;
      truncated: boolean;
    }
  > {
    const conversation = await this.repository.get(this.api.db, caller.workspaceId, conversationId);
    if (conversation === null) throw new ConversationNotFound();
    const [{ messages, total }, definition] = await Promise.all([
      this.repository.transcript(this.api.db, caller.workspaceId, conversationId),
      this.repository.definition(this.api.db, caller.workspaceId, conversationId),
    ]);
    return {
      ...conversation,
      endReason: readableEndReason(definition, conversation.endReason),
      currentStep: stepName(definition, conversation.currentNode),
      answersByLabel: answersByLabel(definition, conversation.answers),
      messages,
      messageCount: total,
      truncated: messages.length < total,
    };
  }

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
    await publish(this.api.bus, busChannels.inbound, {
      numberId: conversation.numberId,
      contact: conversation.contact,
    }).catch((error: unknown) =>
      this.api.logger.warn({ err: error }, 'could not announce a hand-off release'),
    );
    return { id: conversationId, releaseRequestedAt: requestedAt };
  }
}
