import type { Queryable } from '@parley/db';

export interface WorkspaceRecord {
  id: string;
  name: string;
  retentionDays: number | null;
  hasSigningSecret: boolean;
}

/** The caller's workspace settings. */
export class WorkspaceRepository {
  async get(db: Queryable, workspaceId: string): Promise<WorkspaceRecord | null> {
    const { rows } = await db.query<{
      id: string;
      name: string;
      retention_days: number | null;
      has_secret: boolean;
    }>(
      'select id, name, retention_days, signing_secret is not null as has_secret from workspaces where id = $1',
      [workspaceId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : { id: row.id, name: row.name, retentionDays: row.retention_days, hasSigningSecret: row.has_secret };
  }

  /** `signingSecret` is stored as given: the caller encrypts it. */
  async update(
    db: Queryable,
    workspaceId: string,
    changes: { name?: string; signingSecret?: string | null },
  ): Promise<void> {
    await db.query(
      `update workspaces set name = coalesce($2, name),
         signing_secret = case when $3::boolean then $4 else signing_secret end
       where id = $1`,
      [workspaceId, changes.name ?? null, changes.signingSecret !== undefined, changes.signingSecret ?? null],
    );
  }

  /** Every stored signing secret, as stored (encrypted ones start `sealed:`). */
  async signingSecrets(db: Queryable): Promise<{ workspaceId: string; stored: string }[]> {
    const { rows } = await db.query<{ id: string; signing_secret: string }>(
      'select id, signing_secret from workspaces where signing_secret is not null',
    );
    return rows.map((row) => ({ workspaceId: row.id, stored: row.signing_secret }));
  }

  /** Replaces a stored signing secret, unless an admin changed it in the meantime. */
  async replaceSigningSecret(
    db: Queryable,
    workspaceId: string,
    before: string,
    after: string,
  ): Promise<void> {
    await db.query('update workspaces set signing_secret = $3 where id = $1 and signing_secret = $2', [
      workspaceId,
      before,
      after,
    ]);
  }
}
