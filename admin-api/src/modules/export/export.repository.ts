import type { Db } from '@parley/db';
import {
  allRowsQuery,
  type ResponseFilters,
  type ResponseRecord,
  type ResponseRow,
  recordOf,
} from '../responses/responses.repository.js';

const CURSOR = 'parley_responses_export';

/**
 * Reads every row of an export through a server-side cursor, a chunk per FETCH, inside one
 * read-only repeatable-read transaction: the file is one consistent snapshot, the query is planned
 * once for all its rows (`cursor_tuple_fraction = 1`: hash joins, not a row-at-a-time plan), and
 * only one chunk is in memory. The next FETCH is sent before the current chunk is handed on, so
 * Postgres prepares it while the chunk is written out.
 */
export class ExportRepository {
  /**
   * Calls `onChunk` with each chunk in order, until the rows run out or it answers false (the
   * client went away): then the cursor is closed and the transaction ends; no row is read after.
   */
  async forEachChunk(
    db: Db,
    workspaceId: string,
    flowId: string,
    filters: ResponseFilters,
    chunkSize: number,
    onChunk: (records: ResponseRecord[]) => Promise<boolean>,
  ): Promise<void> {
    const { sql, params } = allRowsQuery(workspaceId, flowId, filters);
    await db.transaction(async (tx) => {
      await tx.query('set transaction isolation level repeatable read, read only');
      await tx.query('set local cursor_tuple_fraction = 1');
      await tx.query(`declare ${CURSOR} no scroll cursor for ${sql}`, params);
      const fetch = () => {
        const next = tx.query<ResponseRow>(`fetch forward ${chunkSize} from ${CURSOR}`);
        next.catch(() => undefined); // awaited below; this only keeps a failure while we write from going unhandled
        return next;
      };
      let pending = fetch();
      for (;;) {
        const { rows } = await pending;
        const more = rows.length === chunkSize;
        if (more) pending = fetch();
        const goOn = rows.length === 0 || (await onChunk(rows.map(recordOf)));
        if (!more) break;
        if (!goOn) {
          await pending;
          break;
        }
      }
      await tx.query(`close ${CURSOR}`);
    });
  }
}
