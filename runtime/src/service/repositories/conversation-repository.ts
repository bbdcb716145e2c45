import type { Queryable } from '@parley/db';

/** A stored message as the simulator's transcript shows it. */
export interface TranscriptMessage {
  id: number;
  direction: string;
  body: unknown;
  status: string;
  idempotency_key: string | null;
  created_at: Date;
}

/** Reads about conversations and their messages as a whole (metrics, transcripts). */
export class ConversationRepository {
  async activeCount(db: Queryable): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      `select count(*)::int as count from conversations where status = 'active'`,
    );
    return rows[0]?.count ?? 0;
  }

  /** Every message to and from a contact on a number, oldest first. */
  async transcript(db: Queryable, numberId: string, contact: string): Promise<TranscriptMessage[]> {
    const { rows } = await db.query<TranscriptMessage>(
      `select id, direction, body, status, idempotency_key, created_at from messages
       where number_id = $1 and contact = $2 order by id`,
      [numberId, contact],
    );
    return rows;
  }
}
