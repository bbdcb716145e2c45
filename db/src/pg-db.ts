import pg from 'pg';
import type { Db, NotificationHandler, Queryable } from './db.js';

// Identity ids and counts fit in a double; callers want numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PgDbOptions {
  connectionString: string;
  max?: number;
  /** Fail a statement that runs longer than this (ms). */
  statementTimeoutMs?: number;
  applicationName?: string;
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query(sql, params) {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
  };
}

/** Postgres (or Supabase) through a `pg` pool. */
export function createPgDb(options: PgDbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    application_name: options.applicationName ?? 'parley',
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const listeners = new Map<string, Set<NotificationHandler>>();
  let listenClient: Promise<pg.Client> | undefined;

  async function listenConnection(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('notification', (message) => {
      for (const handler of listeners.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', () => {
      listenClient = undefined;
    });
    await client.connect();
    return client;
  }

  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      // A checked-out client has no error listener of the pool's: losing the connection while it
      // is out would emit an unhandled 'error' and crash the process. The failing query rejects
      // anyway; the broken client is handed back with its error so the pool discards it.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await work(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken ??= rollbackError;
        });
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    async listen(channel, handler) {
      listenClient ??= listenConnection();
      const client = await listenClient;
      const handlers = listeners.get(channel) ?? new Set();
      if (handlers.size === 0) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      handlers.add(handler);
      listeners.set(channel, handlers);
      return async () => {
        handlers.delete(handler);
        if (handlers.size === 0)
          await client.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
      };
    },
    async close() {
      const client = listenClient;
      listenClient = undefined;
      if (client !== undefined) await (await client).end().catch(() => undefined);
      await pool.end();
    },
  };
}
