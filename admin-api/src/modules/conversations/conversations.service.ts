import { type ConversationNote, ConversationNotFound, Invalid, InvalidCursor } from '@parley/contract';
import { isUuid } from '@parley/db';
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
      isUuid(id)
    ) {
      return { startedAt, id };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursor();
}

/** Conversations: browse with filters and read transcripts. */ export class ConversationsService {
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
      notes: ConversationNote[];
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
    const truncated = messages.length < total;
    const notes = await this.repository.notes(
      this.api.db,
      caller.workspaceId,
      conversationId,
      truncated ? (messages[0]?.id ?? null) : null,
    );
    return {
      ...conversation,
      endReason: readableEndReason(definition, conversation.endReason),
      currentStep: stepName(definition, conversation.currentNode),
      answersByLabel: answersByLabel(definition, conversation.answers),
      messages,
      notes,
      messageCount: total,
      truncated,
    };
  }
}
