import type { Queryable } from '@parley/db';
import type { DeliveryStatus, OutboundEnvelope } from '../channels/channel.js';
import { jsonRows } from './json-rows.js';

export interface ClaimedMessage {
  envelope: OutboundEnvelope;
  attempts: number;
  /** conversations.id (the id the API shows), for log lines about the send. */
  conversationId: string | null;
}

/** The outbox: outbound rows of `messages`, claimed one head per contact so each contact stays in order. */
export class OutboxRepository {
  /**
   * For each number asked, marks the oldest unsent message of up to `limit` of its contacts as
   * `sending` and returns them (all numbers in one statement, so many busy numbers cost one round
   * trip). A contact whose head is still being sent (or waits for a retry) gets nothing, so no
   * message overtakes an earlier one.
   */
  async claim(db: Queryable, wanted: { numberId: string; limit: number }[]): Promise<ClaimedMessage[]> {
    const { rows } = await db.query<{
      id: number;
      number_id: string;
      contact: string;
      idempotency_key: string;
      body: OutboundEnvelope['message'];
      attempts: number;
      conversation_id: string | null;
    }>(
      `with wanted as (
         select * from jsonb_to_recordset($1::jsonb) as x(number_id uuid, lim int)
       ), heads as (
         select distinct on (m.number_id, m.contact) m.id, m.number_id, m.status, m.next_attempt_at
         from messages m join wanted w on m.number_id = w.number_id
         where m.direction = 'out' and m.status in ('queued', 'sending')
         order by m.number_id, m.contact, m.id
       ), ranked as (
         select id, number_id, row_number() over (partition by number_id order by id) as rank
         from heads
         where status = 'queued' and (next_attempt_at is null or next_attempt_at <= now())
       ), ready as (
         select r.id from ranked r join wanted w on w.number_id = r.number_id where r.rank <= w.lim
       ), locked as (
         -- Rows another runtime is claiming are skipped, not waited for: waiting on each other's
         -- rows in different orders deadlocked two runtimes under load.
         select m.id from messages m join ready on m.id = ready.id
         where m.status = 'queued' order by m.id for update of m skip locked
       )
       update messages m set status = 'sending', attempts = m.attempts + 1, updated_at = now()
       from locked where m.id = locked.id and m.status = 'queued'
       returning m.id, m.number_id, m.contact, m.idempotency_key, m.body, m.attempts, m.conversation_id`,
      [jsonRows(wanted.map((w) => ({ number_id: w.numberId, lim: w.limit })))],
    );
    return rows
      .sort((a, b) => a.id - b.id)
      .map((row) => ({
        attempts: row.attempts,
        conversationId: row.conversation_id,
        envelope: {
          messageId: row.id,
          numberId: row.number_id,
          contact: row.contact,
          idempotencyKey: row.idempotency_key,
          message: row.body,
        },
      }));
  }

  /** Records sends; `delivered` for a channel whose sends count as delivered at once. */
  async markSent(
    db: Queryable,
    sent: { messageId: number; channelMessageId: string; delivered?: boolean }[],
  ): Promise<void> {
    await db.query(
      `update messages m set status = case when x.delivered then 'delivered' else 'sent' end,
         wa_message_id = x.channel_message_id, last_error = null, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as x(id bigint, channel_message_id text, delivered boolean)
       where m.id = x.id and m.status = 'sending'`,
      [
        jsonRows(
          sent.map((row) => ({
            id: row.messageId,
            channel_message_id: row.channelMessageId,
            delivered: row.delivered === true,
          })),
        ),
      ],
    );
  }

  /** Puts a message back for a later attempt, or fails it for good when `retryAt` is null. */
  async markFailedAttempt(
    db: Queryable,
    messageId: number,
    error: string,
    retryAt: number | null,
  ): Promise<void> {
    await db.query(
      `update messages set status = $2, last_error = $3, next_attempt_at = $4, updated_at = now()
       where id = $1 and status = 'sending'`,
      [
        messageId,
        retryAt === null ? 'failed' : 'queued',
        error.slice(0, 1000),
        retryAt === null ? null : new Date(retryAt),
      ],
    );
  }

  /**
   * Delivery receipts only move a message forward (sent → delivered → read). Returns the message
   * when it moved, with its conversation and who wrote it (`agent` for a person's message).
   */
  async applyReceipt(
    db: Queryable,
    numberId: string,
    channelMessageId: string,
    status: DeliveryStatus,
  ): Promise<{
    workspaceId: string;
    contact: string;
    conversationId: string | null;
    kind: string | null;
  } | null> {
    const { rows } = await db.query<{
      workspace_id: string;
      contact: string;
      conversation_id: string | null;
      kind: string | null;
    }>(
      `update messages set status = $3, updated_at = now()
       where number_id = $1 and direction = 'out' and wa_message_id = $2
         and array_position(array['sending','sent','delivered','read'], status) < array_position(array['sending','sent','delivered','read'], $3)
       returning workspace_id, contact, conversation_id, body->>'kind' as kind`,
      [numberId, channelMessageId, status],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          workspaceId: row.workspace_id,
          contact: row.contact,
          conversationId: row.conversation_id,
          kind: row.kind,
        };
  }

  /** Sends a crash interrupted: back to `queued`, to be checked with the channel before resending. */
  async requeueStale(db: Queryable, olderThanMs: number): Promise<number> {
    const { rowCount } = await db.query(
      `update messages set status = 'queued', updated_at = now()
       where direction = 'out' and status = 'sending' and updated_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [olderThanMs],
    );
    return rowCount;
  }

  /** Numbers with messages ready to send. */
  async numbersWithWork(db: Queryable): Promise<string[]> {
    const { rows } = await db.query<{ number_id: string }>(
      `select distinct number_id from messages
       where direction = 'out' and status = 'queued' and (next_attempt_at is null or next_attempt_at <= now())`,
    );
    return rows.map((row) => row.number_id);
  }

  async queuedCount(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      `select count(*)::int as count from messages where direction = 'out' and status in ('queued', 'sending')`,
    );
    return rows[0]?.count ?? 0;
  }
}
