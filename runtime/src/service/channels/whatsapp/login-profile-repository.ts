import type { Db, Queryable } from '@parley/db';

export interface StoredLoginProfile {
  version: number;
  keyId: string;
  data: Buffer;
  savedAt: Date;
}

export interface LoginProfileBlob {
  keyId: string;
  data: Buffer;
  plainBytes: number;
}

const toBuffer = (value: unknown): Buffer =>
  Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);

/** The encrypted login profiles (`whatsapp_sessions`) and the ownership fences (`whatsapp_leases`). */
export class LoginProfileRepository {
  async load(db: Queryable, numberId: string): Promise<StoredLoginProfile | null> {
    const { rows } = await db.query<{
      version: string | number;
      key_id: string;
      data: unknown;
      saved_at: Date;
    }>('select version, key_id, data, saved_at from whatsapp_sessions where number_id = $1', [numberId]);
    const row = rows[0];
    if (row === undefined) return null;
    return {
      version: Number(row.version),
      keyId: row.key_id,
      data: toBuffer(row.data),
      savedAt: row.saved_at,
    };
  }

  /**
   * Saves a session as one row replaced in one transaction (a crash leaves the previous one), only
   * while `fence` is still the number's current fence (null: no fencing). The fence row is read
   * `for share`, so a new owner's bump waits for this save or this save sees the bump and stops.
   * Returns the new version, or null when fenced out.
   */
  async save(
    db: Db,
    numberId: string,
    blob: LoginProfileBlob,
    fence: number | null,
    savedBy: string,
    hooks: { beforeCommit?: () => Promise<void> } = {},
  ): Promise<number | null> {
    return db.transaction(async (tx) => {
      if (fence !== null) {
        const { rows } = await tx.query<{ fence: string | number }>(
          'select fence from whatsapp_leases where number_id = $1 for share',
          [numberId],
        );
        if (rows[0] === undefined || Number(rows[0].fence) !== fence) return null;
      }
      const { rows } = await tx.query<{ version: string | number }>(
        `insert into whatsapp_sessions (number_id, workspace_id, version, key_id, data, plain_bytes, saved_by, saved_at)
         select n.id, n.workspace_id, 1, $2, $3, $4, $5, now() from numbers n where n.id = $1
         on conflict (number_id) do update set version = whatsapp_sessions.version + 1, key_id = excluded.key_id,
           data = excluded.data, plain_bytes = excluded.plain_bytes, saved_by = excluded.saved_by, saved_at = now()
         returning version`,
        [numberId, blob.keyId, blob.data, blob.plainBytes, savedBy],
      );
      await hooks.beforeCommit?.();
      return rows[0] === undefined ? null : Number(rows[0].version);
    });
  }

  /** Re-encrypts a session in place (key rotation) unless it changed since it was read. */
  async rekey(db: Queryable, numberId: string, version: number, blob: LoginProfileBlob): Promise<boolean> {
    const { rowCount } = await db.query(
      `update whatsapp_sessions set key_id = $3, data = $4, plain_bytes = $5
       where number_id = $1 and version = $2`,
      [numberId, version, blob.keyId, blob.data, blob.plainBytes],
    );
    return rowCount > 0;
  }

  async delete(db: Queryable, numberId: string): Promise<void> {
    await db.query('delete from whatsapp_sessions where number_id = $1', [numberId]);
  }

  /** A new ownership of the number: bumps its fence and returns it. */
  async bumpFence(db: Queryable, numberId: string, owner: string): Promise<number> {
    const { rows } = await db.query<{ fence: string | number }>(
      `insert into whatsapp_leases (number_id, fence, owner) values ($1, 1, $2)
       on conflict (number_id) do update set fence = whatsapp_leases.fence + 1, owner = excluded.owner, acquired_at = now()
       returning fence`,
      [numberId, owner],
    );
    return Number(rows[0]?.fence);
  }

  async currentFence(db: Queryable, numberId: string): Promise<number | null> {
    const { rows } = await db.query<{ fence: string | number }>(
      'select fence from whatsapp_leases where number_id = $1',
      [numberId],
    );
    return rows[0] === undefined ? null : Number(rows[0].fence);
  }
}
