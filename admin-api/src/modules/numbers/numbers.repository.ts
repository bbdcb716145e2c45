import type { SessionReason } from '@parley/contract';
import type { Queryable } from '@parley/db';

export interface NumberRecord {
  id: string;
  phone: string;
  label: string | null;
  channel: 'whatsapp' | 'simulator';
  state: string;
  reason: SessionReason | null;
  hasSession: boolean;
  desiredConnected: boolean;
  settings: Record<string, unknown>;
  flow: { id: string; name: string; publishedVersion: number | null } | null;
  createdAt: string;
  updatedAt: string;
}

export interface SessionEventRecord {
  state: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface AssignableFlow {
  id: string;
  name: string;
  publishedVersion: number | null;
}

interface NumberRow {
  id: string;
  phone: string;
  label: string | null;
  channel: 'whatsapp' | 'simulator';
  state: string;
  state_reason: SessionReason | null;
  has_session: boolean;
  desired_connected: boolean;
  settings: Record<string, unknown>;
  flow_id: string | null;
  flow_name: string | null;
  published_version: number | null;
  created_at: Date;
  updated_at: Date;
}

// Simulator sessions are numbers too (pinned to one version); they never show up here.
const NUMBER_SELECT = `select n.id, n.phone, n.label, n.channel, n.state, n.state_reason, n.desired_connected, n.settings,
    exists (select 1 from whatsapp_sessions s where s.number_id = n.id) as has_session,
    n.created_at, n.updated_at, f.id as flow_id, f.name as flow_name,
    (select v.version from flow_versions v where v.flow_id = f.id and v.status = 'published') as published_version
  from numbers n
  left join number_flows nf on nf.number_id = n.id
  left join flows f on f.id = nf.flow_id and f.deleted_at is null
  where n.workspace_id = $1 and n.pinned_version_id is null`;

function toNumber(row: NumberRow): NumberRecord {
  return {
    id: row.id,
    phone: row.phone,
    label: row.label,
    channel: row.channel,
    state: row.state,
    reason: row.state_reason,
    hasSession: row.has_session,
    desiredConnected: row.desired_connected,
    settings: row.settings,
    flow:
      row.flow_id === null
        ? null
        : { id: row.flow_id, name: row.flow_name ?? '', publishedVersion: row.published_version },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** SQL for WhatsApp numbers, their flow assignment and session requests; scoped to a workspace. */
export class NumbersRepository {
  async list(db: Queryable, workspaceId: string): Promise<NumberRecord[]> {
    const { rows } = await db.query<NumberRow>(`${NUMBER_SELECT} order by n.created_at, n.id limit 1000`, [
      workspaceId,
    ]);
    return rows.map(toNumber);
  }

  async get(
    db: Queryable,
    workspaceId: string,
    numberId: string,
    lock = false,
  ): Promise<NumberRecord | null> {
    const { rows } = await db.query<NumberRow>(
      `${NUMBER_SELECT} and n.id = $2 ${lock ? 'for update of n' : ''}`,
      [workspaceId, numberId],
    );
    return rows[0] === undefined ? null : toNumber(rows[0]);
  }

  /** Inserts a WhatsApp number; null when the workspace already has that phone. */
  async create(
    db: Queryable,
    workspaceId: string,
    phone: string,
    label: string | null,
  ): Promise<string | null> {
    const { rows } = await db.query<{ id: string }>(
      `insert into numbers (workspace_id, phone, label, channel) values ($1, $2, $3, 'whatsapp')
       on conflict (workspace_id, phone) do nothing returning id`,
      [workspaceId, phone, label],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Changes the label (null clears it) and merges `settings` into the stored ones (a key set to
   * null is removed).
   */
  async update(
    db: Queryable,
    workspaceId: string,
    numberId: string,
    changes: { label?: string | null; settings?: Record<string, unknown> },
  ): Promise<void> {
    await db.query(
      `update numbers set
         label = case when $3 then $4 else label end,
         settings = case when $5::jsonb is null then settings else jsonb_strip_nulls(settings || $5::jsonb) end,
         updated_at = now()
       where id = $1 and workspace_id = $2 and pinned_version_id is null`,
      [
        numberId,
        workspaceId,
        changes.label !== undefined,
        changes.label ?? null,
        changes.settings === undefined ? null : JSON.stringify(changes.settings),
      ],
    );
  }

  async remove(db: Queryable, workspaceId: string, numberId: string): Promise<void> {
    await db.query('delete from numbers where id = $1 and workspace_id = $2 and pinned_version_id is null', [
      numberId,
      workspaceId,
    ]);
  }

  async setDesiredConnected(
    db: Queryable,
    workspaceId: string,
    numberId: string,
    desired: boolean,
  ): Promise<void> {
    await db.query(
      'update numbers set desired_connected = $3, updated_at = now() where id = $1 and workspace_id = $2',
      [numberId, workspaceId, desired],
    );
  }

  async recordSessionEvent(
    db: Queryable,
    workspaceId: string,
    numberId: string,
    state: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await db.query(
      'insert into session_events (workspace_id, number_id, state, detail) values ($1, $2, $3, $4::jsonb)',
      [workspaceId, numberId, state, JSON.stringify(detail)],
    );
  }

  async latestSessionEvent(
    db: Queryable,
    workspaceId: string,
    numberId: string,
  ): Promise<SessionEventRecord | null> {
    const { rows } = await db.query<{ state: string; detail: Record<string, unknown>; at: Date }>(
      `select state, detail, at from session_events where number_id = $1 and workspace_id = $2
       order by at desc, id desc limit 1`,
      [numberId, workspaceId],
    );
    const row = rows[0];
    return row === undefined ? null : { state: row.state, detail: row.detail, at: row.at.toISOString() };
  }

  /** A flow of the workspace (not deleted) with its published version, for assigning to a number. */
  async assignableFlow(db: Queryable, workspaceId: string, flowId: string): Promise<AssignableFlow | null> {
    const { rows } = await db.query<{ id: string; name: string; published_version: number | null }>(
      `select f.id, f.name,
         (select v.version from flow_versions v where v.flow_id = f.id and v.status = 'published') as published_version
       from flows f where f.id = $1 and f.workspace_id = $2 and f.deleted_at is null`,
      [flowId, workspaceId],
    );
    const row = rows[0];
    return row === undefined ? null : { id: row.id, name: row.name, publishedVersion: row.published_version };
  }

  async assignFlow(db: Queryable, workspaceId: string, numberId: string, flowId: string): Promise<void> {
    await db.query(
      `insert into number_flows (number_id, workspace_id, flow_id) values ($1, $2, $3)
       on conflict (number_id) do update set flow_id = excluded.flow_id, updated_at = now()`,
      [numberId, workspaceId, flowId],
    );
  }

  async unassignFlow(db: Queryable, workspaceId: string, numberId: string): Promise<void> {
    await db.query('delete from number_flows where number_id = $1 and workspace_id = $2', [
      numberId,
      workspaceId,
    ]);
  }
}
