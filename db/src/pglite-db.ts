import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
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
 * `dataDir`, which this process holds until `close` (a second process is refused with
 * `DataDirInUse`); without one it is in memory. PGlite runs one statement at a time, so
 * transactions are naturally serialised.
 */
export async function createPgliteDb(dataDir?: string): Promise<Db> {
  const release = dataDir === undefined ? async () => {} : await lockDataDir(dataDir);
  const pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir }).catch(
    async (cause: unknown) => {
      await release();
      throw cause;
    },
  );
  return {
    kind: 'pglite',
    ...wrap(pglite),
    transaction: (work) => pglite.transaction((tx) => work(wrap(tx))),
    async listen(channel, handler) {
      return pglite.listen(channel, handler);
    },
    async close() {
      await pglite.close();
      await release();
    },
  };
}
