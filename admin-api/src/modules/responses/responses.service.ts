import { FlowNotFound, InvalidCursor } from '@parley/contract';
import { isUuid } from '@parley/db';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { type AnswerColumn, answerColumns } from './answer-columns.js';
import type {
  FlowRef,
  ResponseFilters,
  ResponsePosition,
  ResponseRecord,
  ResponsesRepository,
} from './responses.repository.js';

export interface ResponseItem {
  conversationId: string;
  contact: string;
  contactName: string | null;
  version: number;
  status: string;
  answers: Record<string, unknown>;
  startedAt: string;
  completedAt: string | null;
}

export const itemOf = (record: ResponseRecord): ResponseItem => ({
  conversationId: record.conversationId,
  contact: record.contact,
  contactName: record.contactName,
  version: record.version,
  status: record.status,
  answers: record.answers,
  startedAt: record.startedAt,
  completedAt: record.completedAt,
});

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
/** The opaque cursor of a page: the position of its last row. */
export function encodeCursor(position: ResponsePosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ResponsePosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && ISO_MICROS.test(at) && typeof id === 'string' && isUuid(id))
      return { at, id };
  } catch {
    // falls through to the error below
  }
  throw new InvalidCursor();
}

/** Answers of a flow's conversations: completed responses and partial ones, with their columns. */
export class ResponsesService {
  constructor(
    private readonly api: ApiContext,
    readonly repository: ResponsesRepository,
  ) {}

  /** The flow, if it is in the caller's workspace (another workspace's flow is not found). */
  async flow(caller: Caller, flowId: string): Promise<FlowRef> {
    const flow = await this.repository.flow(this.api.db, caller.workspaceId, flowId);
    if (flow === null) throw new FlowNotFound();
    return flow;
  }

  /** Answer columns: the union over published versions (and test drafts with `includeTest`), in flow order. */
  async columns(caller: Caller, flowId: string, includeTest: boolean): Promise<AnswerColumn[]> {
    return answerColumns(
      await this.repository.definitions(this.api.db, caller.workspaceId, flowId, includeTest),
    );
  }

  async list(
    caller: Caller,
    flowId: string,
    filters: ResponseFilters,
    page: { cursor?: string; limit: number },
  ): Promise<{ columns: AnswerColumn[]; items: ResponseItem[]; nextCursor: string | null }> {
    const after = page.cursor === undefined ? null : decodeCursor(page.cursor);
    await this.flow(caller, flowId);
    const [columns, records] = await Promise.all([
      this.columns(caller, flowId, filters.includeTest),
      this.repository.page(this.api.db, caller.workspaceId, flowId, filters, after, page.limit + 1),
    ]);
    const items = records.slice(0, page.limit);
    const last = items.at(-1);
    return {
      columns,
      items: items.map(itemOf),
      nextCursor: records.length > page.limit && last !== undefined ? encodeCursor(last.position) : null,
    };
  }
}
