import type { Queryable } from '@parley/db';

export interface AuditEntry {
  workspaceId: string | null;
  userId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

/** The audit log: who changed what, when, with the state before and after. */
export class AuditRepository {
  async record(db: Queryable, entry: AuditEntry): Promise<void> {
    await db.query(
      `insert into audit_log (workspace_id, user_id, action, entity, entity_id, before, after)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
      [
        entry.workspaceId,
        entry.userId,
        entry.action,
        entry.entity,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
      ],
    );
  }

  async list(
    db: Queryable,
    workspaceId: string,
    options: { before?: number; limit: number; entity?: string },
  ): Promise<
    {
      id: number;
      userId: string | null;
      userEmail: string | null;
      action: string;
      entity: string;
      entityId: string | null;
      before: unknown;
      after: unknown;
      at: string;
    }[]
  > {
    const { rows } = await db.query<{
      id: number;
      user_id: string | null;
      email: string | null;
      action: string;
      entity: string;
      entity_id: string | null;
      before: unknown;
      after: unknown;
      at: Date;
    }>(
      `select a.id, a.user_id, u.email, a.action, a.entity, a.entity_id, a.before, a.after, a.at
       from audit_log a left join users u on u.id = a.user_id
       where a.workspace_id = $1 and ($2::bigint is null or a.id < $2) and ($3::text is null or a.entity = $3)
       order by a.id desc limit $4`,
      [workspaceId, options.before ?? null, options.entity ?? null, options.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      userEmail: row.email,
      action: row.action,
      entity: row.entity,
      entityId: row.entity_id,
      before: row.before,
      after: row.after,
      at: row.at.toISOString(),
    }));
  }
}
