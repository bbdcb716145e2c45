/** Something SQL can run on: the database, or a transaction of it. */
export interface Queryable {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number }>;
}

/** Notification handler for LISTEN channels. */
export type NotificationHandler = (payload: string) => void;

/**
 * The one database interface of Parley: real Postgres through `pg`, or embedded PGlite. Repositories
 * take a Queryable, so the same SQL runs inside or outside a transaction and on either engine.
 */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; resolves with a function that stops listening. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
