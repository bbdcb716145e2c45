import type { Queryable } from '@parley/db';
import type { Choice } from '@parley/schemas';

/** A poll this number sent, found again by its WhatsApp message id when a vote comes in. */
export interface SentPoll {
  contact: string;
  choices: Choice[];
  multiple: boolean;
  /** No later choice question went to the contact (votes on older polls are not answers). */
  latest: boolean;
}

/** `whatsapp_sent`: the WhatsApp ids of what each outbound message became, one row per part. */
export class SentRepository {
  async record(
    db: Queryable,
    numberId: string,
    idempotencyKey: string,
    part: number,
    waMessageId: string,
    pollMultiple: boolean | null,
  ): Promise<void> {
    await db.query(
      `insert into whatsapp_sent (number_id, idempotency_key, part, wa_message_id, poll_multiple)
       values ($1, $2, $3, $4, $5)
       on conflict (number_id, idempotency_key, part) do update set wa_message_id = excluded.wa_message_id`,
      [numberId, idempotencyKey, part, waMessageId, pollMultiple],
    );
  }

  /** The parts of a message already sent: part number → WhatsApp id. */
  async parts(db: Queryable, numberId: string, idempotencyKey: string): Promise<Map<number, string>> {
    const { rows } = await db.query<{ part: number; wa_message_id: string }>(
      'select part, wa_message_id from whatsapp_sent where number_id = $1 and idempotency_key = $2',
      [numberId, idempotencyKey],
    );
    return new Map(rows.map((row) => [Number(row.part), row.wa_message_id]));
  }

  async pollOf(db: Queryable, numberId: string, waMessageId: string): Promise<SentPoll | null> {
    const { rows } = await db.query<{
      contact: string;
      body: { choices?: Choice[] };
      poll_multiple: boolean | null;
      latest: boolean;
    }>(
      `select m.contact, m.body, s.poll_multiple,
         not exists (select 1 from messages later
           where later.number_id = m.number_id and later.contact = m.contact and later.direction = 'out'
             and later.id > m.id and later.body ? 'choices') as latest
       from whatsapp_sent s
       join messages m on m.idempotency_key = s.idempotency_key
       where s.number_id = $1 and s.wa_message_id = $2 and s.poll_multiple is not null`,
      [numberId, waMessageId],
    );
    const row = rows[0];
    if (row === undefined || !Array.isArray(row.body.choices)) return null;
    return {
      contact: row.contact,
      choices: row.body.choices,
      multiple: row.poll_multiple === true,
      latest: row.latest,
    };
  }

  /** When the outbound message was queued (epoch ms), to tell its sends from older ones. */
  async queuedAt(db: Queryable, messageId: number): Promise<number | null> {
    const { rows } = await db.query<{ created_at: Date }>('select created_at from messages where id = $1', [
      messageId,
    ]);
    return rows[0] === undefined ? null : new Date(rows[0].created_at).getTime();
  }

  /**
   * Whether a choice question allows several answers: its flow version's node with these choices
   * has an array answer. (The engine's outbound message carries the choices, not that.)
   */
  async isMultiChoice(db: Queryable, messageId: number, choices: Choice[]): Promise<boolean> {
    const { rows } = await db.query<{ multiple: boolean }>(
      `select exists (
         select 1 from messages m
         join conversations c on c.id = m.conversation_id
         join flow_versions fv on fv.id = c.flow_version_id
         cross join lateral jsonb_array_elements(fv.definition->'nodes') as node
         where m.id = $1 and node->'config'->'choices' = $2::jsonb
           and node->'config'->'answer'->>'type' = 'array'
       ) as multiple`,
      [messageId, JSON.stringify(choices)],
    );
    return rows[0]?.multiple === true;
  }

  /** Forgets sends older than `days` (votes on polls that old are not answers anymore). */
  async prune(db: Queryable, days: number): Promise<number> {
    const { rowCount } = await db.query(
      'delete from whatsapp_sent where sent_at < now() - make_interval(days => $1)',
      [days],
    );
    return rowCount;
  }
}
