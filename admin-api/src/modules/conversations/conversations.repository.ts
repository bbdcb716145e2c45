import {
  type ConversationNote,
  type ConversationStatus,
  type InboxPerson,
  TRANSCRIPT_LIMIT,
} from '@parley/contract';
import type { Queryable } from '@parley/db';
import { personName, personOf } from './people.js';

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
  /** When it was handed to a person (null: never, or before the inbox existed). */
  handoffAt: string | null;
  /** Who holds the hand-off (one person at a time). */
  assignedTo: InboxPerson | null;
  firstAgentReplyAt: string | null;
}

/** Who holds a conversation after an assignment, and since when. */
export interface AssignmentRecord {
  assignedTo: InboxPerson | null;
  assignedAt: string | null;
}

export interface TranscriptMessage {
  id: number;
  direction: 'in' | 'out';
  type: string;
  body: Record<string, unknown>;
  status: string;
  /** Who in the team wrote it (an agent's reply); null for the bot and the contact. */
  agent: InboxPerson | null;
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
  handoff_at?: Date | null;
  assigned_user_id?: string | null;
  assigned_email?: string | null;
  first_agent_reply_at?: Date | null;
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

/** The agent an outbound row's body names (the runtime copies it from the reply's control row). */
function agentOf(body: Record<string, unknown>): InboxPerson | null {
  const agent = body.agent as { id?: unknown; name?: unknown } | null | undefined;
  return typeof agent?.id === 'string' && typeof agent.name === 'string'
    ? { id: agent.id, name: agent.name }
    : null;
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
    // Locked first, read after: a row locked while a join reads it would keep the joined rows of
    // before the wait (the holder's email of a holder who was not there yet).
    if (lock) {
      await db.query('select 1 from conversations where id = $1 and workspace_id = $2 for update', [
        conversationId,
        workspaceId,
      ]);
    }
    const { rows } = await db.query<ConversationRow>(
      `select ${COLUMNS}, c.variables, c.answers, c.end_reason, c.handoff_at, c.assigned_user_id,
         u.email as assigned_email, c.first_agent_reply_at ${FROM}
       left join users u on u.id = c.assigned_user_id
       where c.id = $1 and c.workspace_id = $2`,
      [conversationId, workspaceId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      ...toRecord(row),
      variables: row.variables ?? {},
      answers: row.answers ?? {},
      endReason: row.end_reason ?? null,
      handoffAt: row.handoff_at?.toISOString() ?? null,
      assignedTo: personOf(row.assigned_user_id ?? null, row.assigned_email ?? null),
      firstAgentReplyAt: row.first_agent_reply_at?.toISOString() ?? null,
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
   * The conversation's last `TRANSCRIPT_LIMIT` messages in both directions, oldest first, and how
   * many it has in all: a longer transcript is cut, and says so. Control rows (a release, an agent's
   * reply on its way to the runtime) are requests, not messages: left out.
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
       from messages where conversation_id = $1 and workspace_id = $2 and type <> 'control'
       order by id desc limit $3`,
      [conversationId, workspaceId, TRANSCRIPT_LIMIT],
    );
    const messages = rows.reverse().map((row) => ({
      id: Number(row.id),
      direction: row.direction,
      type: row.type,
      body: row.body,
      status: row.status,
      agent: agentOf(row.body),
      error: row.last_error,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
    return { messages, total: rows[0]?.total ?? 0 };
  }

  /**
   * The conversation's notes for the team (turn notes the runtime kept), in the order they
   * happened: by the message they follow, then as written. `fromMessageId`: only those after it
   * (a cut transcript's first message), the others belong to the messages left out.
   */
  async notes(
    db: Queryable,
    workspaceId: string,
    conversationId: string,
    fromMessageId: number | null,
  ): Promise<ConversationNote[]> {
    const { rows } = await db.query<{
      id: number;
      kind: ConversationNote['kind'];
      node_id: string;
      text: string;
      after_message_id: number | null;
      at: Date;
    }>(
      `select id, kind, node_id, text, after_message_id, at from (
         select * from conversation_notes
         where conversation_id = $1 and workspace_id = $2
           and ($3::bigint is null or after_message_id >= $3)
         order by coalesce(after_message_id, 0) desc, id desc limit $4
       ) newest
       order by coalesce(after_message_id, 0), id`,
      [conversationId, workspaceId, fromMessageId, TRANSCRIPT_LIMIT],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      kind: row.kind,
      nodeId: row.node_id,
      text: row.text,
      afterMessageId: row.after_message_id === null ? null : Number(row.after_message_id),
      at: row.at.toISOString(),
    }));
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

  /**
   * Gives the conversation to `userId` (null: to no one) in one conditional update, so two people
   * racing for it cannot both win: it must be an open hand-off, and free, already theirs or the
   * caller's — or `override` (an editor or admin reassigning). Null when the conditions fail.
   */
  async assign(
    db: Queryable,
    workspaceId: string,
    conversationId: string,
    userId: string | null,
    callerId: string,
    override: boolean,
  ): Promise<AssignmentRecord | null> {
    const { rows } = await db.query<{
      assigned_user_id: string | null;
      assigned_at: Date | null;
      email: string | null;
    }>(
      `with assigned as (
         update conversations c
         set assigned_user_id = $3,
           assigned_at = case when $3::uuid is null then null
             when c.assigned_user_id is not distinct from $3 then c.assigned_at else now() end
         where c.id = $1 and c.workspace_id = $2 and c.status = 'handoff' and c.released_at is null
           and ($5::boolean or c.assigned_user_id is null or c.assigned_user_id = $4
             or c.assigned_user_id is not distinct from $3)
         returning c.assigned_user_id, c.assigned_at)
       select a.assigned_user_id, a.assigned_at, u.email from assigned a left join users u on u.id = a.assigned_user_id`,
      [conversationId, workspaceId, userId, callerId, override],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      assignedTo: personOf(row.assigned_user_id, row.email),
      assignedAt: row.assigned_at?.toISOString() ?? null,
    };
  }

  /** The person's role in the workspace, and how they are named; null when they are no member. */
  async member(
    db: Queryable,
    workspaceId: string,
    userId: string,
  ): Promise<{ role: string; person: InboxPerson } | null> {
    const { rows } = await db.query<{ role: string; email: string }>(
      `select m.role, u.email from workspace_members m join users u on u.id = m.user_id
       where m.workspace_id = $1 and m.user_id = $2`,
      [workspaceId, userId],
    );
    const row = rows[0];
    return row === undefined ? null : { role: row.role, person: { id: userId, name: personName(row.email) } };
  }

  /** Whether a control request with this id is already queued for the number (a retried request). */
  async controlExists(db: Queryable, numberId: string, waMessageId: string): Promise<boolean> {
    const { rows } = await db.query<{ found: boolean }>(
      `select exists (select 1 from messages where number_id = $1 and direction = 'in'
         and wa_message_id = $2) as found`,
      [numberId, waMessageId],
    );
    return rows[0]?.found === true;
  }

  /**
   * Moves the read mark forward to `messageId` (never back); returns the mark and the contact
   * messages still unread, or null when the message is not one of the conversation's.
   */
  async markRead(
    db: Queryable,
    workspaceId: string,
    conversationId: string,
    messageId: number,
  ): Promise<{ readMessageId: number; unread: number } | null> {
    const { rows } = await db.query<{ read_message_id: string; unread: number }>(
      `with marked as (
         update conversations c set read_message_id = greatest(coalesce(c.read_message_id, 0), $3)
         where c.id = $1 and c.workspace_id = $2
           and exists (select 1 from messages m where m.id = $3 and m.conversation_id = c.id)
         returning c.id, c.read_message_id)
       select marked.read_message_id,
         (select count(*)::integer from messages m where m.conversation_id = marked.id and m.direction = 'in'
            and m.type <> 'control' and m.id > marked.read_message_id) as unread
       from marked`,
      [conversationId, workspaceId, messageId],
    );
    const row = rows[0];
    return row === undefined ? null : { readMessageId: Number(row.read_message_id), unread: row.unread };
  }
}
