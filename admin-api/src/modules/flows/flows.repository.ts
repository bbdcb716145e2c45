import type { Queryable } from '@parley/db';

/** A draft or a version's definition, as stored. */
export interface StoredDefinition {
  kind: 'draft' | 'version';
  id: string;
  workspaceId: string;
  definition: unknown;
}

export interface FlowRecord {
  id: string;
  name: string;
  draft: unknown;
  draftEtag: string;
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A number that answers with a flow, named for the admin who is about to silence it. */
export interface ServingNumber {
  id: string;
  phone: string;
  label: string | null;
}

export interface VersionRecord {
  id: string;
  version: number;
  status: 'draft' | 'published' | 'archived';
  checksum: string;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

interface FlowRow {
  id: string;
  name: string;
  draft: unknown;
  draft_etag: string;
  published_version: number | null;
  created_at: Date;
  updated_at: Date;
}

const FLOW_COLUMNS = `f.id, f.name, f.draft, f.draft_etag, f.created_at, f.updated_at,
  (select version from flow_versions v where v.flow_id = f.id and v.status = 'published') as published_version`;

function toFlow(row: FlowRow): FlowRecord {
  return {
    id: row.id,
    name: row.name,
    draft: row.draft,
    draftEtag: row.draft_etag,
    publishedVersion: row.published_version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** SQL for flows and their versions; every query is scoped to a workspace. */
export class FlowsRepository {
  /** The workspace's flows, each with how many numbers answer with it. */
  async list(
    db: Queryable,
    workspaceId: string,
    search: string | undefined,
  ): Promise<(FlowRecord & { servingNumbers: number })[]> {
    const { rows } = await db.query<FlowRow & { serving_numbers: number }>(
      `select ${FLOW_COLUMNS},
         (select count(*)::int from number_flows nf where nf.flow_id = f.id) as serving_numbers
       from flows f
       where f.workspace_id = $1 and f.deleted_at is null and ($2::text is null or f.name ilike '%' || $2 || '%')
       order by f.updated_at desc limit 500`,
      [workspaceId, search ?? null],
    );
    return rows.map((row) => ({ ...toFlow(row), servingNumbers: row.serving_numbers }));
  }

  async get(db: Queryable, workspaceId: string, flowId: string, lock = false): Promise<FlowRecord | null> {
    const { rows } = await db.query<FlowRow>(
      `select ${FLOW_COLUMNS} from flows f where f.id = $1 and f.workspace_id = $2 and f.deleted_at is null
       ${lock ? 'for update' : ''}`,
      [flowId, workspaceId],
    );
    return rows[0] === undefined ? null : toFlow(rows[0]);
  }

  async create(
    db: Queryable,
    workspaceId: string,
    name: string,
    draft: unknown,
    userId: string,
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      'insert into flows (workspace_id, name, draft, created_by) values ($1, $2, $3::jsonb, $4) returning id',
      [workspaceId, name, JSON.stringify(draft), userId],
    );
    return (rows[0] as { id: string }).id;
  }

  /** Saves the draft only if its etag is still `etag`; returns the new etag, or null when it moved on. */
  async saveDraft(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    etag: string,
    draft: unknown,
    name: string,
  ): Promise<string | null> {
    const { rows } = await db.query<{ draft_etag: string }>(
      `update flows set draft = $4::jsonb, name = $5, draft_etag = md5(gen_random_uuid()::text), updated_at = now()
       where id = $1 and workspace_id = $2 and deleted_at is null and draft_etag = $3
       returning draft_etag`,
      [flowId, workspaceId, etag, JSON.stringify(draft), name],
    );
    return rows[0]?.draft_etag ?? null;
  }

  async replaceDraft(db: Queryable, flowId: string, draft: unknown): Promise<string> {
    const { rows } = await db.query<{ draft_etag: string }>(
      `update flows set draft = $2::jsonb, draft_etag = md5(gen_random_uuid()::text), updated_at = now()
       where id = $1 returning draft_etag`,
      [flowId, JSON.stringify(draft)],
    );
    return (rows[0] as { draft_etag: string }).draft_etag;
  }

  /** Drafts and versions (deleted flows' too) whose definition has headers: candidates to encrypt. */
  async definitionsWithHeaders(db: Queryable): Promise<StoredDefinition[]> {
    const { rows } = await db.query<{
      kind: StoredDefinition['kind'];
      id: string;
      workspace_id: string;
      definition: unknown;
    }>(
      `select 'draft' as kind, id, workspace_id, draft as definition from flows where strpos(draft::text, '"headers"') > 0
       union all
       select 'version', id, workspace_id, definition from flow_versions where strpos(definition::text, '"headers"') > 0`,
    );
    return rows.map((row) => ({
      kind: row.kind,
      id: row.id,
      workspaceId: row.workspace_id,
      definition: row.definition,
    }));
  }

  /**
   * Rewrites a stored definition in place — the same flow, its header values now encrypted — unless
   * it changed in the meantime. The draft's etag and a version's checksum stay: the content did not change.
   */
  async rewriteDefinition(db: Queryable, stored: StoredDefinition, definition: unknown): Promise<void> {
    const sql =
      stored.kind === 'draft'
        ? 'update flows set draft = $3::jsonb where id = $1 and draft = $2::jsonb'
        : 'update flow_versions set definition = $3::jsonb where id = $1 and definition = $2::jsonb';
    await db.query(sql, [stored.id, JSON.stringify(stored.definition), JSON.stringify(definition)]);
  }

  /** Deleted flows, most recently deleted first, with when they were deleted. */
  async listDeleted(db: Queryable, workspaceId: string): Promise<(FlowRecord & { deletedAt: string })[]> {
    const { rows } = await db.query<FlowRow & { deleted_at: Date }>(
      `select ${FLOW_COLUMNS}, f.deleted_at from flows f
       where f.workspace_id = $1 and f.deleted_at is not null
       order by f.deleted_at desc limit 500`,
      [workspaceId],
    );
    return rows.map((row) => ({ ...toFlow(row), deletedAt: row.deleted_at.toISOString() }));
  }

  /** The ids of the workspace's AI providers: an AI block naming another is a publish error. */
  async aiCredentialIds(db: Queryable, workspaceId: string): Promise<Set<string>> {
    const { rows } = await db.query<{ id: string }>('select id from ai_credentials where workspace_id = $1', [
      workspaceId,
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** The numbers a flow answers on (deleting it leaves them silent). */
  async servingNumbers(db: Queryable, workspaceId: string, flowId: string): Promise<ServingNumber[]> {
    const { rows } = await db.query<ServingNumber>(
      `select n.id, n.phone, n.label from number_flows nf join numbers n on n.id = nf.number_id
       where nf.flow_id = $1 and nf.workspace_id = $2 order by n.phone`,
      [flowId, workspaceId],
    );
    return rows;
  }

  /**
   * Brings a deleted flow back; returns when it had been deleted, or null when it was not deleted
   * (or is not in the workspace).
   */
  async restore(db: Queryable, workspaceId: string, flowId: string): Promise<string | null> {
    const { rows } = await db.query<{ deleted_at: Date }>(
      `update flows f set deleted_at = null
       from (select id, deleted_at from flows where id = $1 and workspace_id = $2 and deleted_at is not null for update) old
       where f.id = old.id
       returning old.deleted_at`,
      [flowId, workspaceId],
    );
    return rows[0]?.deleted_at.toISOString() ?? null;
  }

  async softDelete(db: Queryable, workspaceId: string, flowId: string): Promise<boolean> {
    const { rowCount } = await db.query(
      'update flows set deleted_at = now() where id = $1 and workspace_id = $2 and deleted_at is null',
      [flowId, workspaceId],
    );
    await db.query('delete from number_flows where flow_id = $1', [flowId]);
    return rowCount > 0;
  }

  async versions(db: Queryable, flowId: string): Promise<VersionRecord[]> {
    const { rows } = await db.query<{
      id: string;
      version: number;
      status: VersionRecord['status'];
      checksum: string;
      created_by: string | null;
      created_at: Date;
      published_at: Date | null;
    }>(
      `select id, version, status, checksum, created_by, created_at, published_at from flow_versions
       where flow_id = $1 and status <> 'draft' order by version desc`,
      [flowId],
    );
    return rows.map((row) => ({
      id: row.id,
      version: row.version,
      status: row.status,
      checksum: row.checksum,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      publishedAt: row.published_at?.toISOString() ?? null,
    }));
  }

  async version(
    db: Queryable,
    flowId: string,
    version: number,
  ): Promise<(VersionRecord & { definition: unknown }) | null> {
    const { rows } = await db.query<{
      id: string;
      version: number;
      status: VersionRecord['status'];
      checksum: string;
      created_by: string | null;
      created_at: Date;
      published_at: Date | null;
      definition: unknown;
    }>(
      `select id, version, status, checksum, created_by, created_at, published_at, definition from flow_versions
       where flow_id = $1 and version = $2 and status <> 'draft'`,
      [flowId, version],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      id: row.id,
      version: row.version,
      status: row.status,
      checksum: row.checksum,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      publishedAt: row.published_at?.toISOString() ?? null,
      definition: row.definition,
    };
  }

  /** Archives the published version and inserts the next one as published; returns its number. */
  async publish(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    definition: unknown,
    answersSchema: unknown,
    checksum: string,
    userId: string,
  ): Promise<{ id: string; version: number }> {
    await db.query(
      `update flow_versions set status = 'archived' where flow_id = $1 and status = 'published'`,
      [flowId],
    );
    const { rows } = await db.query<{ id: string; version: number }>(
      `insert into flow_versions (workspace_id, flow_id, version, status, definition, answers_schema, checksum, created_by, published_at)
       select $1, $2, coalesce(max(version), 0) + 1, 'published', $3::jsonb, $4::jsonb, $5, $6, now()
       from flow_versions where flow_id = $2 and status <> 'draft'
       returning id, version`,
      [workspaceId, flowId, JSON.stringify(definition), JSON.stringify(answersSchema), checksum, userId],
    );
    return rows[0] as { id: string; version: number };
  }

  /** A draft snapshot for a simulator session (version 0, never listed as a version). */
  async snapshotDraft(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    definition: unknown,
    checksum: string,
    userId: string,
  ): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum, created_by)
       values ($1, $2, 0, 'draft', $3::jsonb, $4, $5) returning id`,
      [workspaceId, flowId, JSON.stringify(definition), checksum, userId],
    );
    return (rows[0] as { id: string }).id;
  }
}
