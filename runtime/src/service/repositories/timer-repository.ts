import type { Queryable } from '@parley/db';

/** Due timers, claimed with a short lease so two runtimes rarely wake the same contact twice. */
export class TimerRepository {
  async claimDue(
    db: Queryable,
    limit: number,
    leaseMs: number,
  ): Promise<{ numberId: string; contact: string }[]> {
    const { rows } = await db.query<{ number_id: string; contact: string }>(
      `update timers t set due_at = now() + make_interval(secs => $2::double precision / 1000)
       from (select number_id, contact from timers where due_at <= now() order by due_at limit $1 for update skip locked) due
       where t.number_id = due.number_id and t.contact = due.contact
       returning t.number_id, t.contact`,
      [limit, leaseMs],
    );
    return rows.map((row) => ({ numberId: row.number_id, contact: row.contact }));
  }
}
