import type { Role } from '@parley/contract';
import type { Queryable } from '@parley/db';
import type { BusinessHours } from '@parley/schemas';

export interface WorkspaceRecord {
  id: string;
  name: string;
  retentionDays: number | null;
  hasSigningSecret: boolean;
  businessHours: BusinessHours | null;
}

/** Workspaces: creating them, their members as they start, and their settings. */
export class WorkspaceRepository {
  /** `createdBy`: the person who asked for it (null for the one made at install). */
  async create(db: Queryable, name: string, createdBy: string | null): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      'insert into workspaces (name, created_by) values ($1, $2) returning id',
      [name, createdBy],
    );
    return (rows[0] as { id: string }).id;
  }

  async addMember(db: Queryable, workspaceId: string, userId: string, role: Role): Promise<void> {
    await db.query(
      `insert into workspace_members (workspace_id, user_id, role) values ($1, $2, $3)
       on conflict (workspace_id, user_id) do update set role = excluded.role`,
      [workspaceId, userId, role],
    );
  }

  /** Holds the person's other workspace creations until the transaction ends, so a cap on them holds. */
  async lockCreator(tx: Queryable, userId: string): Promise<void> {
    await tx.query("select pg_advisory_xact_lock(hashtext('workspace-creator:' || $1))", [userId]);
  }

  async countCreatedBy(db: Queryable, userId: string): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      'select count(*)::int as count from workspaces where created_by = $1',
      [userId],
    );
    return rows[0]?.count ?? 0;
  }

  async get(db: Queryable, workspaceId: string): Promise<WorkspaceRecord | null> {
    const { rows } = await db.query<{
      id: string;
      name: string;
      retention_days: number | null;
      has_secret: boolean;
      business_hours: BusinessHours | null;
    }>(
      `select id, name, retention_days, signing_secret is not null as has_secret, business_hours
       from workspaces where id = $1`,
      [workspaceId],
    );
    const row = rows[0];
    return row === undefined
      ? null
      : {
          id: row.id,
          name: row.name,
          retentionDays: row.retention_days,
          hasSigningSecret: row.has_secret,
          businessHours: row.business_hours,
        };
  }

  /** Null: always open. */
  async setBusinessHours(db: Queryable, workspaceId: string, hours: BusinessHours | null): Promise<void> {
    await db.query('update workspaces set business_hours = $2::jsonb where id = $1', [
      workspaceId,
      hours === null ? null : JSON.stringify(hours),
    ]);
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
