import type { Queryable } from './db.js';

/** One round trip to the database: readiness checks ask whether it answers at all. */
export async function ping(db: Queryable): Promise<void> {
  await db.query('select 1');
}
