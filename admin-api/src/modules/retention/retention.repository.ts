import type { Queryable } from '@parley/db';

export interface PurgeCounts {
  conversations: number;
  messages: number;
  responses: number;
}

/** Deletes people's data: one contact on request, or everything past a workspace's retention. */
// Any constant: only one API process at a time runs the retention pass.
const RETENTION_LOCK_KEY = 7_263_510_044;

export class RetentionRepository {
  /** Takes the retention pass's lock until the transaction ends; false when another process holds it. */
  async tryLockRun(tx: Queryable): Promise<boolean> {
    const { rows } = await tx.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [
      RETENTION_LOCK_KEY,
    ]);
    return rows[0]?.locked === true;
  }

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
    await db.query('delete from contact_states where workspace_id = $1 and contact = $2', [
      workspaceId,
      contact,
    ]);
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
    // What went out on WhatsApp is keyed by the message's idempotency key: `number:contact:…`.
    await db.query(
      `delete from whatsapp_sent s using numbers n
       where s.number_id = n.id and n.workspace_id = $1 and starts_with(s.idempotency_key, n.id || ':' || $2 || ':')`,
      [workspaceId, contact],
    );
    // Every number, simulator sessions included: runtimes clear their state and sent logs of each.
    const { rows } = await db.query<{ id: string }>('select id from numbers where workspace_id = $1', [
      workspaceId,
    ]);
    return { ...counts, messages: counts.messages + loose, numberIds: rows.map((row) => row.id) };
  }

  async numberSettings(db: Queryable, workspaceId: string): Promise<{ id: string; settings: unknown }[]> {
    const { rows } = await db.query<{ id: string; settings: unknown }>(
      'select id, settings from numbers where workspace_id = $1',
      [workspaceId],
    );
    return rows;
  }

  async setNumberSettings(db: Queryable, numberId: string, settings: unknown): Promise<void> {
    await db.query('update numbers set settings = $2 where id = $1', [numberId, JSON.stringify(settings)]);
  }

  /** Audit entries whose before/after mention `text` (a number's settings, say). */
  async auditMentioning(
    db: Queryable,
    workspaceId: string,
    text: string,
  ): Promise<{ id: string; before: unknown; after: unknown }[]> {
    const { rows } = await db.query<{ id: string; before: unknown; after: unknown }>(
      `select id, before, after from audit_log
       where workspace_id = $1 and strpos(coalesce(before::text, '') || coalesce(after::text, ''), $2) > 0`,
      [workspaceId, text],
    );
    return rows;
  }

  async setAuditValues(db: Queryable, id: string, before: unknown, after: unknown): Promise<void> {
    await db.query('update audit_log set before = $2, after = $3 where id = $1', [
      id,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
    ]);
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

  /** The media URLs of a contact's messages in a workspace (null: a message whose media has none). */
  async mediaUrlsOfContact(db: Queryable, workspaceId: string, contact: string): Promise<(string | null)[]> {
    const { rows } = await db.query<{ url: string | null }>(
      `select body -> 'media' ->> 'url' as url from messages
        where workspace_id = $1 and contact = $2 and body ? 'media'`,
      [workspaceId, contact],
    );
    return rows.map((row) => row.url);
  }

  /** The media URLs of what `purgeExpired` deletes (same conditions). */
  async mediaUrlsOfExpired(db: Queryable, workspaceId: string, days: number): Promise<(string | null)[]> {
    const { rows } = await db.query<{ url: string | null }>(
      `select m.body -> 'media' ->> 'url' as url from messages m
         join conversations c on c.id = m.conversation_id
        where c.workspace_id = $1 and c.status <> 'active' and c.ended_at < now() - make_interval(days => $2)
          and m.body ? 'media'
       union all
       select body -> 'media' ->> 'url' from messages
        where workspace_id = $1 and conversation_id is null and status <> 'received'
          and created_at < now() - make_interval(days => $2) and body ? 'media'`,
      [workspaceId, days],
    );
    return rows.map((row) => row.url);
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
