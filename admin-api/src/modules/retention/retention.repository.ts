import type { Queryable } from '@parley/db';

export interface PurgeCounts {
  conversations: number;
  messages: number;
  responses: number;
}

/** Deletes people's data: one contact on request, or everything past a workspace's retention. */
export class RetentionRepository {
  async retentionDays(db: Queryable, workspaceId: string): Promise<number | null> {
    const { rows } = await db.query<{ retention_days: number | null }>(
      'select retention_days from workspaces where id = $1',
      [workspaceId],
    );
    return rows[0]?.retention_days ?? null;
  }

  async setRetentionDays(db: Queryable, workspaceId: string, days: number | null): Promise<void> {
    await db.query('update workspaces set retention_days = $2 where id = $1', [workspaceId, days]);
  }

  /** Everything stored about one contact on the workspace's numbers; returns what went, and the numbers touched. */
  async purgeContact(
    db: Queryable,
    workspaceId: string,
    contact: string,
  ): Promise<PurgeCounts & { numberIds: string[] }> {
    const counts = await this.counts(db, 'c.workspace_id = $1 and c.contact = $2', [workspaceId, contact]);
    const { rows } = await db.query<{ number_id: string }>(
      'delete from contact_states where workspace_id = $1 and contact = $2 returning number_id',
      [workspaceId, contact],
    );
    await db.query(
      `delete from timers t using numbers n where t.number_id = n.id and n.workspace_id = $1 and t.contact = $2`,
      [workspaceId, contact],
    );
    await db.query('delete from pending_effects where workspace_id = $1 and contact = $2', [
      workspaceId,
      contact,
    ]);
    await db.query('delete from conversations where workspace_id = $1 and contact = $2', [
      workspaceId,
      contact,
    ]);
    const { rowCount: loose } = await db.query(
      'delete from messages where workspace_id = $1 and contact = $2',
      [workspaceId, contact],
    );
    return { ...counts, messages: counts.messages + loose, numberIds: rows.map((row) => row.number_id) };
  }

  /** Finished conversations (and their messages, answers) that ended more than `days` ago. */
  async purgeExpired(db: Queryable, workspaceId: string, days: number): Promise<PurgeCounts> {
    const where = `c.workspace_id = $1 and c.status <> 'active' and c.ended_at < now() - make_interval(days => $2)`;
    const counts = await this.counts(db, where, [workspaceId, days]);
    await db.query(`delete from conversations c where ${where}`, [workspaceId, days]);
    const { rowCount: loose } = await db.query(
      `delete from messages where workspace_id = $1 and conversation_id is null and status <> 'received'
         and created_at < now() - make_interval(days => $2)`,
      [workspaceId, days],
    );
    return { ...counts, messages: counts.messages + loose };
  }

  async workspacesWithRetention(db: Queryable): Promise<{ id: string; days: number }[]> {
    const { rows } = await db.query<{ id: string; retention_days: number }>(
      'select id, retention_days from workspaces where retention_days is not null',
    );
    return rows.map((row) => ({ id: row.id, days: row.retention_days }));
  }

  private async counts(db: Queryable, where: string, params: unknown[]): Promise<PurgeCounts> {
    const { rows } = await db.query<PurgeCounts>(
      `select count(*)::int as conversations,
         coalesce(sum((select count(*) from messages m where m.conversation_id = c.id)), 0)::int as messages,
         coalesce(sum((select count(*) from responses r where r.conversation_id = c.id)), 0)::int as responses
       from conversations c where ${where}`,
      params,
    );
    return rows[0] ?? { conversations: 0, messages: 0, responses: 0 };
  }
}
