import { PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './db.js';

function wrap(target: Pick<PGlite, 'query'>): Queryable {
  return {
    async query(sql, params) {
      const result = await target.query(sql, params as unknown[]);
      return { rows: result.rows as never[], rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}

/**
 * Embedded Postgres (PGlite, in process) for `npm start` without DATABASE_URL. Data lives in
 * `dataDir`; without one it is in memory. PGlite runs one statement at a time, so transactions
 * are naturally serialised.
 */
export async function createPgliteDb(dataDir?: string): Promise<Db> {
  const pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  return {
    kind: 'pglite',
    ...wrap(pglite),
    transaction: (work) => pglite.transaction((tx) => work(wrap(tx))),
    async listen(channel, handler) {
      return pglite.listen(channel, handler);
    },
    close: () => pglite.close(),
  };
}
