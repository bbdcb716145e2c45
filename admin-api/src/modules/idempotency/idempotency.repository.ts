import type { Queryable } from '@parley/db';

/** Who a key belongs to and which request it was first used for. */
export interface KeyScope {
  workspaceId: string;
  userId: string;
  key: string;
}

/** What a request with an already used key finds. */
export interface KeyRecord {
  requestHash: string;
  /** null while the first request runs, or when it left its work pending. */
  result: StoredResult | null;
}

export interface StoredResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** How long a key is remembered. */
const KEY_LIFETIME = `interval '24 hours'`;

/** SQL for Idempotency-Key records. */
export class IdempotencyRepository {
  /**
   * Claims the key for this request: a new key, an expired one, or the same request whose earlier
   * attempt ended without an answer (its lease lapsed, it was this process's, or it left the work
   * pending). Returns false when the key is taken; `find` says by what.
   */
  async claim(
    db: Queryable,
    scope: KeyScope,
    request: { hash: string; holder: string; leaseMs: number },
  ): Promise<boolean> {
    // Forget expired keys on the way, a few at a time: the table holds about a day of keyed writes.
    await db.query(
      `delete from idempotency_keys k
       using (select workspace_id, user_id, key from idempotency_keys
              where created_at < now() - ${KEY_LIFETIME} limit 100) expired
       where k.workspace_id = expired.workspace_id and k.user_id = expired.user_id and k.key = expired.key`,
    );
    const { rows } = await db.query(
      `insert into idempotency_keys (workspace_id, user_id, key, request_hash, holder, locked_until)
       values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000))
       on conflict (workspace_id, user_id, key) do update
         set request_hash = excluded.request_hash, status = null, response = null, holder = excluded.holder,
           locked_until = excluded.locked_until, created_at = now()
         where idempotency_keys.created_at < now() - ${KEY_LIFETIME}
           or (idempotency_keys.status is null and idempotency_keys.request_hash = excluded.request_hash
             and (idempotency_keys.locked_until < now() or idempotency_keys.holder = excluded.holder))
       returning 1`,
      [scope.workspaceId, scope.userId, scope.key, request.hash, request.holder, request.leaseMs],
    );
    return rows.length > 0;
  }

  async find(db: Queryable, scope: KeyScope): Promise<KeyRecord | null> {
    const { rows } = await db.query<{ request_hash: string; status: number | null; response: unknown }>(
      `select request_hash, status, response from idempotency_keys
       where workspace_id = $1 and user_id = $2 and key = $3`,
      [scope.workspaceId, scope.userId, scope.key],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const response = row.response as { body?: unknown; headers?: Record<string, string> } | null;
    return {
      requestHash: row.request_hash,
      result:
        row.status === null
          ? null
          : { status: row.status, body: response?.body, headers: response?.headers ?? {} },
    };
  }

  /** Keeps the answer of the request that holds the key. */
  async complete(db: Queryable, scope: KeyScope, holder: string, result: StoredResult): Promise<void> {
    await db.query(
      `update idempotency_keys set status = $5, response = $6::jsonb, holder = null
       where workspace_id = $1 and user_id = $2 and key = $3 and holder = $4`,
      [
        scope.workspaceId,
        scope.userId,
        scope.key,
        holder,
        result.status,
        JSON.stringify({ body: result.body, headers: result.headers }),
      ],
    );
  }

  /** Lets a retry of the same request take the key over at once (the work is pending, not done). */
  async unlock(db: Queryable, scope: KeyScope, holder: string): Promise<void> {
    await db.query(
      `update idempotency_keys set holder = null, locked_until = now() - interval '1 second'
       where workspace_id = $1 and user_id = $2 and key = $3 and holder = $4`,
      [scope.workspaceId, scope.userId, scope.key, holder],
    );
  }

  /** Forgets the key: the request failed without doing anything, so a retry starts afresh. */
  async release(db: Queryable, scope: KeyScope, holder: string): Promise<void> {
    await db.query(
      `delete from idempotency_keys where workspace_id = $1 and user_id = $2 and key = $3 and holder = $4
         and status is null`,
      [scope.workspaceId, scope.userId, scope.key, holder],
    );
  }
}
