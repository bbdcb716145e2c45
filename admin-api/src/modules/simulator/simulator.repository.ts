import type { Queryable } from '@parley/db';

/** A simulator session: a hidden `simulator` number pinned to one flow version, talking as one contact. */
export interface SessionRecord {
  id: string;
  flowId: string;
  versionId: string;
  /** 0 for a draft snapshot. */
  version: number;
  contact: string;
  contactName: string | null;
  createdAt: string;
}

export interface StoredMessage {
  id: number;
  direction: 'in' | 'out';
  type: string;
  body: Record<string, unknown>;
  status: string;
  createdAt: string;
}

interface MessageRow {
  id: string;
  direction: 'in' | 'out';
  type: string;
  body: Record<string, unknown>;
  status: string;
  created_at: Date;
}

function storedMessage(row: MessageRow): StoredMessage {
  return {
    id: Number(row.id),
    direction: row.direction,
    type: row.type,
    body: row.body,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

/** An inbound row as stored: this request's, or the one an earlier try of it stored. */
export interface StoredInbound {
  id: number;
  text: string | null;
}

export interface ConversationSnapshot {
  status: string;
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** SQL for simulator sessions; every query is scoped to a workspace or to a session found in one. */
export class SimulatorRepository {
  async create(
    db: Queryable,
    workspaceId: string,
    session: {
      id: string;
      versionId: string;
      contact: string;
      contactName: string | null;
      createdBy: string;
    },
  ): Promise<void> {
    await db.query(
      `insert into numbers (id, workspace_id, phone, label, channel, pinned_version_id, settings)
       values ($1, $2, $3, 'Simulator session', 'simulator', $4, $5::jsonb)`,
      [
        session.id,
        workspaceId,
        `session-${session.id}`,
        session.versionId,
        JSON.stringify({
          simulator: {
            contact: session.contact,
            contactName: session.contactName,
            createdBy: session.createdBy,
          },
        }),
      ],
    );
  }

  async get(db: Queryable, workspaceId: string, sessionId: string): Promise<SessionRecord | null> {
    const { rows } = await db.query<{
      id: string;
      flow_id: string;
      version_id: string;
      version: number;
      contact: string | null;
      contact_name: string | null;
      created_at: Date;
    }>(
      `select n.id, v.flow_id, v.id as version_id, v.version, n.settings #>> '{simulator,contact}' as contact,
         n.settings #>> '{simulator,contactName}' as contact_name, n.created_at
       from numbers n join flow_versions v on v.id = n.pinned_version_id
       where n.id = $1 and n.workspace_id = $2 and n.channel = 'simulator'`,
      [sessionId, workspaceId],
    );
    const row = rows[0];
    if (row === undefined || row.contact === null) return null;
    return {
      id: row.id,
      flowId: row.flow_id,
      versionId: row.version_id,
      version: row.version,
      contact: row.contact,
      contactName: row.contact_name,
      createdAt: row.created_at.toISOString(),
    };
  }

  /** A contact's message on the number by its message id, once a runtime recorded it. */
  async inboundByMessageId(
    db: Queryable,
    numberId: string,
    messageId: string,
  ): Promise<StoredInbound | null> {
    const { rows } = await db.query<{ id: string; text: string | null }>(
      `select id, body ->> 'text' as text from messages
       where number_id = $1 and direction = 'in' and wa_message_id = $2`,
      [numberId, messageId],
    );
    const row = rows[0];
    return row === undefined ? null : { id: Number(row.id), text: row.text };
  }

  /**
   * The bot's replies to one inbound message: its outbound messages after it and before the
   * contact's next message, all of them (the runtime caps a turn's messages).
   */
  async repliesTo(
    db: Queryable,
    numberId: string,
    contact: string,
    inboundId: number,
  ): Promise<StoredMessage[]> {
    const { rows } = await db.query<MessageRow>(
      `select id, direction, type, body, status, created_at from messages m
       where number_id = $1 and contact = $2 and direction = 'out' and type <> 'control' and id > $3
         and not exists (select 1 from messages i where i.number_id = $1 and i.contact = $2
           and i.direction = 'in' and i.type <> 'control' and i.id > $3 and i.id < m.id)
       order by id`,
      [numberId, contact, inboundId],
    );
    return rows.map(storedMessage);
  }

  /** Whether the runtime handled the inbound row and has no http call of the contact still pending. */
  async turnSettled(db: Queryable, numberId: string, contact: string, inboundId: number): Promise<boolean> {
    const { rows } = await db.query<{ settled: boolean }>(
      `select coalesce((select status <> 'received' from messages where id = $3), false)
         and not exists (select 1 from pending_effects where number_id = $1 and contact = $2) as settled`,
      [numberId, contact, inboundId],
    );
    return rows[0]?.settled === true;
  }

  /**
   * The contact's latest `limit` messages in both directions (control events left out), in order,
   * and whether earlier ones were left out.
   */
  async messages(
    db: Queryable,
    numberId: string,
    contact: string,
    limit: number,
  ): Promise<{ messages: StoredMessage[]; truncated: boolean }> {
    const { rows } = await db.query<MessageRow>(
      `select * from (
         select id, direction, type, body, status, created_at from messages
         where number_id = $1 and contact = $2 and type <> 'control'
         order by id desc limit $3
       ) latest order by id`,
      [numberId, contact, limit + 1],
    );
    const truncated = rows.length > limit;
    return { messages: (truncated ? rows.slice(1) : rows).map(storedMessage), truncated };
  }

  /** The contact's latest conversation on the session's number. */
  async latestConversation(
    db: Queryable,
    numberId: string,
    contact: string,
  ): Promise<ConversationSnapshot | null> {
    const { rows } = await db.query<ConversationSnapshot>(
      `select status, answers, variables from conversations where number_id = $1 and contact = $2
       order by started_at desc, updated_at desc limit 1`,
      [numberId, contact],
    );
    return rows[0] ?? null;
  }

  /**
   * Deletes the session's number (its test conversations, messages and answers go with it) and the
   * draft snapshot it ran, unless something else still uses that snapshot.
   */
  async remove(db: Queryable, workspaceId: string, sessionId: string): Promise<boolean> {
    const { rows } = await db.query<{ pinned_version_id: string }>(
      `delete from numbers where id = $1 and workspace_id = $2 and channel = 'simulator' and pinned_version_id is not null
       returning pinned_version_id`,
      [sessionId, workspaceId],
    );
    const versionId = rows[0]?.pinned_version_id;
    if (versionId === undefined) return false;
    await db.query(
      `delete from flow_versions v where v.id = $1 and v.status = 'draft'
         and not exists (select 1 from numbers n where n.pinned_version_id = v.id)
         and not exists (select 1 from conversations c where c.flow_version_id = v.id)`,
      [versionId],
    );
    return true;
  }
}
