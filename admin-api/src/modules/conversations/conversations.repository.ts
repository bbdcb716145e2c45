import { type ConversationStatus, TRANSCRIPT_LIMIT } from '@parley/contract';
import type { Queryable } from '@parley/db';

export interface ConversationRecord {
  id: string;
  numberId: string;
  contact: string;
  contactName: string | null;
  flowId: string;
  flowName: string | null;
  /** 0 for a simulator session's draft snapshot. */
  flowVersion: number;
  status: ConversationStatus;
  currentNode: string | null;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  /** When an admin released the hand-off back to the bot (it no longer waits for a person). */
  releasedAt: string | null;
  isTest: boolean;
}

export interface ConversationDetail extends ConversationRecord {
  variables: Record<string, unknown>;
  answers: Record<string, unknown>;
  endReason: string | null;
}

export interface TranscriptMessage {
  id: number;
  direction: 'in' | 'out';
  type: string;
  body: Record<string, unknown>;
  status: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationFilters {
  numberId?: string;
  flowId?: string;
  status?: ConversationStatus;
  from?: string;
  to?: string;
  includeTest: boolean;
}

/** Where a page starts: after this (started_at, id), in (started_at desc, id desc) order. */
export interface PagePosition {
  startedAt: string;
  id: string;
}

interface ConversationRow {
  id: string;
  number_id: string;
  contact: string;
  contact_name: string | null;
  flow_id: string;
  flow_name: string | null;
  flow_version: number;
  status: ConversationStatus;
  current_node: string | null;
  started_at: Date;
  started_key: string;
  updated_at: Date;
  ended_at: Date | null;
  released_at: Date | null;
  is_test: boolean;
  variables?: Record<string, unknown>;
  answers?: Record<string, unknown>;
  end_reason?: string | null;
}

// started_key: started_at to the microsecond, so a page boundary never skips or repeats a row.
const COLUMNS = `c.id, c.number_id, c.contact, c.contact_name, c.flow_id, f.name as flow_name, v.version as flow_version,
  c.status, c.current_node, c.started_at, c.updated_at, c.ended_at, c.released_at, c.is_test,
  to_char(c.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started_key`;
const FROM = `from conversations c
  join flow_versions v on v.id = c.flow_version_id
  left join flows f on f.id = c.flow_id`;

function toRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    numberId: row.number_id,
    contact: row.contact,
    contactName: row.contact_name,
    flowId: row.flow_id,
    flowName: row.flow_name,
    flowVersion: row.flow_version,
    status: row.status,
    currentNode: row.current_node,
    startedAt: row.started_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    releasedAt: row.released_at?.toISOString() ?? null,
    isTest: row.is_test,
  };
}

/** SQL for conversations, their transcripts and hand-off releases; scoped to a workspace. */
export class ConversationsRepository {
  /** One page, newest first; also returns where the next page starts. */
  async list(
    db: Queryable,
    workspaceId: string,
    filters: ConversationFilters,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: ConversationRecord[]; next: PagePosition | null }> {
    const { rows } = await db.query<ConversationRow>(
      `select ${COLUMNS} ${FROM}
       where c.workspace_id = $1
         and ($2::uuid is null or c.number_id = $2)
         and ($3::uuid is null or c.flow_id = $3)
         -- A released hand-off keeps its status but no longer waits for a person.
         and ($4::text is null or (c.status = $4 and c.released_at is null))
         and ($5::timestamptz is null or c.started_at >= $5)
         and ($6::timestamptz is null or c.started_at < $6)
         and ($7::boolean or not c.is_test)
         and ($8::timestamptz is null or (c.started_at, c.id) < ($8::timestamptz, $9::uuid))
       order by c.started_at desc, c.id desc
       limit $10`,
      [
        workspaceId,
        filters.numberId ?? null,
        filters.flowId ?? null,
        filters.status ?? null,
        filters.from ?? null,
        filters.to ?? null,
        filters.includeTest,
        after?.startedAt ?? null,
        after?.id ?? null,
        limit + 1,
      ],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toRecord),
      next: rows.length > limit && last !== undefined ? { startedAt: last.started_key, id: last.id } : null,
    };
  }

  async get(
    db: Queryable,
    workspaceId: string,
    conversationId: string,
    lock = false,
  ): Promise<ConversationDetail | null> {
    const { rows } = await db.query<ConversationRow>(
      `select ${COLUMNS}, c.variables, c.answers, c.end_reason ${FROM}
       where c.id = $1 and c.workspace_id = $2 ${lock ? 'for update of c' : ''}`,
      [conversationId, workspaceId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      ...toRecord(row),
      variables: row.variables ?? {},
      answers: row.answers ?? {},
      endReason: row.end_reason ?? null,
    };
  }

  /** The Flow Document of the version the conversation runs (or ran). */
  async definition(db: Queryable, workspaceId: string, conversationId: string): Promise<unknown> {
    const { rows } = await db.query<{ definition: unknown }>(
      `select v.definition from conversations c join flow_versions v on v.id = c.flow_version_id
       where c.id = $1 and c.workspace_id = $2`,
      [conversationId, workspaceId],
    );
    return rows[0]?.definition ?? null;
  }

  /**
   * The conversation's last `TRANSCRIPT_LIMIT` messages in both directions (and admin control
   * events), oldest first, and how many it has in all: a longer transcript is cut, and says so.
   */
  async transcript(
    db: Queryable,
    workspaceId: string,
    conversationId: string,
  ): Promise<{ messages: TranscriptMessage[]; total: number }> {
    const { rows } = await db.query<{
      id: number;
      direction: 'in' | 'out';
      type: string;
      body: Record<string, unknown>;
      status: string;
      last_error: string | null;
      created_at: Date;
      updated_at: Date;
      total: number;
    }>(
      `select id, direction, type, body, status, last_error, created_at, updated_at, count(*) over ()::integer as total
       from messages where conversation_id = $1 and workspace_id = $2 order by id desc limit $3`,
      [conversationId, workspaceId, TRANSCRIPT_LIMIT],
    );
    const messages = rows.reverse().map((row) => ({
      id: Number(row.id),
      direction: row.direction,
      type: row.type,
      body: row.body,
      status: row.status,
      error: row.last_error,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
    return { messages, total: rows[0]?.total ?? 0 };
  }

  /** Whether the contact started another conversation on the number after this one. */
  async hasLaterConversation(
    db: Queryable,
    conversation: { id: string; numberId: string; contact: string },
  ): Promise<boolean> {
    const { rows } = await db.query<{ later: boolean }>(
      `select exists (select 1 from conversations where number_id = $1 and contact = $2 and id <> $3
         and started_at > (select started_at from conversations where id = $3)) as later`,
      [conversation.numberId, conversation.contact, conversation.id],
    );
    return rows[0]?.later === true;
  }

  /** Whether a release of the contact is already waiting in the inbox. */
  async releasePending(db: Queryable, numberId: string, contact: string): Promise<boolean> {
    const { rows } = await db.query<{ pending: boolean }>(
      `select exists (select 1 from messages where number_id = $1 and contact = $2 and direction = 'in'
         and status = 'received' and type = 'control' and body ->> 'control' = 'release') as pending`,
      [numberId, contact],
    );
    return rows[0]?.pending === true;
  }

  /** Queues an admin control event in the runtime's inbox, ordered with the contact's messages. */
  async insertControl(
    db: Queryable,
    row: {
      workspaceId: string;
      numberId: string;
      contact: string;
      waMessageId: string;
      body: Record<string, unknown>;
    },
  ): Promise<number> {
    const { rows } = await db.query<{ id: number }>(
      `insert into messages (workspace_id, number_id, contact, direction, wa_message_id, type, body, status)
       values ($1, $2, $3, 'in', $4, 'control', $5::jsonb, 'received') returning id`,
      [row.workspaceId, row.numberId, row.contact, row.waMessageId, JSON.stringify(row.body)],
    );
    return Number((rows[0] as { id: number }).id);
  }
}
