import type { Queryable } from '@parley/db';

/** The hand-off figures `/metrics` reports, read from the database (live tests left out). */
export interface HandoffFigures {
  /** Open hand-offs (with a person, not closed) per workspace. */
  open: { workspaceId: string; count: number }[];
  /** Open hand-offs each person holds. */
  held: { workspaceId: string; userId: string; count: number }[];
  /** Seconds from hand-off to the first agent reply, as cumulative counts at each upper bound. */
  firstReply: { buckets: number[]; sum: number; count: number };
}

/** Reads the hand-off measures at a scrape: every runtime reports the same, whole-database figures. */
export class HandoffMetricsRepository {
  async figures(db: Queryable, upperBounds: readonly number[]): Promise<HandoffFigures> {
    const [open, held, replies] = await Promise.all([
      db.query<{ workspace_id: string; count: number }>(
        `select workspace_id, count(*)::integer as count from conversations
         where status = 'handoff' and released_at is null and not is_test group by workspace_id`,
      ),
      db.query<{ workspace_id: string; user_id: string; count: number }>(
        `select workspace_id, assigned_user_id as user_id, count(*)::integer as count from conversations
         where status = 'handoff' and released_at is null and not is_test and assigned_user_id is not null
         group by workspace_id, assigned_user_id`,
      ),
      db.query<{ buckets: number[]; sum: number; count: number }>(
        `with waits as (
           select extract(epoch from first_agent_reply_at - handoff_at)::float8 as seconds from conversations
           where handoff_at is not null and first_agent_reply_at is not null and not is_test)
         select coalesce(sum(seconds), 0)::float8 as sum, count(*)::integer as count,
           array(select (select count(*) from waits where seconds <= bound)::integer
                 from unnest($1::float8[]) with ordinality as b(bound, i) order by i) as buckets
         from waits`,
        [upperBounds],
      ),
    ]);
    const reply = replies.rows[0] ?? { buckets: upperBounds.map(() => 0), sum: 0, count: 0 };
    return {
      open: open.rows.map((row) => ({ workspaceId: row.workspace_id, count: row.count })),
      held: held.rows.map((row) => ({
        workspaceId: row.workspace_id,
        userId: row.user_id,
        count: row.count,
      })),
      firstReply: { buckets: reply.buckets, sum: reply.sum, count: reply.count },
    };
  }
}
