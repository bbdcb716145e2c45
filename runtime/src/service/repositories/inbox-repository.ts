import type { Queryable } from '@parley/db';
import { jsonRows } from './json-rows.js';

export interface InboundRow {
  workspaceId: string;
  numberId: string;
  contact: string;
  waMessageId: string;
  type: string;
  body: Record<string, unknown>;
}

export interface PendingInbound {
  id: number;
  numberId: string;
  contact: string;
  waMessageId: string;
  body: Record<string, unknown>;
  /** When the row was recorded (epoch ms, the database's clock). */
  receivedAt: number;
}

/** Inbound messages: written once on arrival (dedupe by channel id), read back in order to process. */
export class InboxRepository {
  /** Inserts new messages; returns for each input its row id, or null when it was a duplicate. */
  async insert(db: Queryable, rows: InboundRow[]): Promise<(number | null)[]> {
    const { rows: inserted } = await db.query<{ id: number; number_id: string; wa_message_id: string }>(
      `insert into messages (workspace_id, number_id, contact, direction, wa_message_id, type, body, status)
       select x.workspace_id, x.number_id, x.contact, 'in', x.wa_message_id, x.type, x.body, 'received'
       from jsonb_to_recordset($1::jsonb) as x(workspace_id uuid, number_id uuid, contact text, wa_message_id text, type text, body jsonb)
       on conflict (number_id, direction, wa_message_id) where wa_message_id is not null do nothing
       returning id, number_id, wa_message_id`,
      [
        jsonRows(
          rows.map((row) => ({
            workspace_id: row.workspaceId,
            number_id: row.numberId,
            contact: row.contact,
            wa_message_id: row.waMessageId,
            type: row.type,
            body: row.body,
          })),
        ),
      ],
    );
    const ids = new Map(inserted.map((row) => [`${row.number_id} ${row.wa_message_id}`, row.id]));
    return rows.map((row) => {
      const key = `${row.numberId} ${row.waMessageId}`;
      const id = ids.get(key);
      ids.delete(key); // the same message twice in one batch: the second is the duplicate
      return id ?? null;
    });
  }

  /** Unprocessed inbound messages of the given contacts, oldest first. */
  async pending(db: Queryable, contacts: { numberId: string; contact: string }[]): Promise<PendingInbound[]> {
    const { rows } = await db.query<{
      id: number;
      number_id: string;
      contact: string;
      wa_message_id: string;
      body: Record<string, unknown>;
      received_at: number;
    }>(
      `select m.id, m.number_id, m.contact, m.wa_message_id, m.body,
         (extract(epoch from m.created_at) * 1000)::float8 as received_at
       from messages m
       join jsonb_to_recordset($1::jsonb) as x(number_id uuid, contact text)
         on m.number_id = x.number_id and m.contact = x.contact
       where m.direction = 'in' and m.status = 'received'
       order by m.id`,
      [jsonRows(contacts.map((c) => ({ number_id: c.numberId, contact: c.contact })))],
    );
    return rows.map((row) => ({
      id: row.id,
      numberId: row.number_id,
      contact: row.contact,
      waMessageId: row.wa_message_id,
      body: row.body,
      receivedAt: row.received_at,
    }));
  }

  /** Inbound messages that cannot be handled (their checkpoint cannot be stored): failed, with why. */
  async markFailed(db: Queryable, ids: number[], reason: string): Promise<void> {
    await db.query(
      `update messages set status = 'failed', last_error = $2, updated_at = now()
       where id = any($1::bigint[]) and direction = 'in' and status = 'received'`,
      [ids, reason],
    );
  }

  /** Contacts with inbound messages left unprocessed for longer than `olderThanMs` (after a crash). */
  async stranded(
    db: Queryable,
    olderThanMs: number,
    limit: number,
  ): Promise<{ numberId: string; contact: string }[]> {
    const { rows } = await db.query<{ number_id: string; contact: string }>(
      `select distinct number_id, contact from messages
       where direction = 'in' and status = 'received' and created_at < now() - make_interval(secs => $1::double precision / 1000)
       limit $2`,
      [olderThanMs, limit],
    );
    return rows.map((row) => ({ numberId: row.number_id, contact: row.contact }));
  }
}
