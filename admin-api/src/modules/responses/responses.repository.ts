import type { ResponseStatusFilter } from '@parley/contract';
import type { Queryable } from '@parley/db';

/** Which answers: completed responses, partial ones (unfinished conversations with answers), or both. */

export interface ResponseFilters {
  status: ResponseStatusFilter;
  /** Only this flow version (0 = draft snapshots run by the simulator). */
  version?: number;
  /** Inclusive lower bound of the row's time: completed_at when completed, started_at when partial. */
  from?: string;
  /** Exclusive upper bound of the same time. */
  to?: string;
  includeTest: boolean;
}

/** A position in the order `time desc, id desc`: rows strictly after it come next. */
export interface ResponsePosition {
  /** The row's time, ISO 8601 in UTC with microseconds (exact, unlike a JS Date). */
  at: string;
  id: string;
}

export interface ResponseRecord {
  conversationId: string;
  contact: string;
  contactName: string | null;
  version: number;
  /** `completed`, or the status of the unfinished conversation. */
  status: string;
  answers: Record<string, unknown>;
  /** ISO 8601 in UTC with milliseconds (made by Postgres: no Date parsing per row). */
  startedAt: string;
  completedAt: string | null;
  /** Where this row sits in the order (the cursor of the next page when it is the last one). */
  position: ResponsePosition;
}

export interface FlowRef {
  id: string;
  name: string;
}

export interface VersionDefinition {
  version: number;
  status: 'draft' | 'published' | 'archived';
  definition: unknown;
}

export interface ResponseRow {
  id: string;
  /** Only in pages: the position of the row. */
  sort_key: string | null;
  contact: string;
  contact_name: string | null;
  version: number;
  status: string;
  answers: Record<string, unknown> | null;
  started_at: string;
  completed_at: string | null;
}

const SORT_KEY = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const ISO = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Completed rows come from `responses` (written once, when a conversation completes); partial rows
 * from `conversations` that did not complete but hold at least one answer (`answers` is saved as
 * answers arrive). Paged, each branch reads its own index in time order from the position on and
 * stops at `limit`, so a page costs `limit` rows whatever the offset; unpaged (exports, through a
 * cursor) the planner reads everything at once.
 *
 * Parameters: $1 workspace, $2 flow, $3 version, $4 from, $5 to, $6 include test; paged also
 * $7/$8 the position and $9 the limit.
 */
function completedBranch(paged: boolean): string {
  return `(select r.conversation_id as id, r.completed_at as sort_at,
      ${paged ? SORT_KEY('r.completed_at') : 'null::text'} as sort_key,
      c.contact, c.contact_name, v.version, 'completed'::text as status, r.answers,
      ${ISO('c.started_at')} as started_at, ${ISO('r.completed_at')} as completed_at
    from responses r
    join conversations c on c.id = r.conversation_id
    join flow_versions v on v.id = r.flow_version_id
    where r.workspace_id = $1 and r.flow_id = $2
      and ($3::integer is null or v.version = $3)
      and ($4::timestamptz is null or r.completed_at >= $4)
      and ($5::timestamptz is null or r.completed_at < $5)
      and ($6::boolean or not r.is_test)
      ${paged ? 'and ($7::timestamptz is null or (r.completed_at <= $7 and (r.completed_at, r.conversation_id) < ($7, $8::uuid)))' : ''}
    ${paged ? 'order by r.completed_at desc, r.conversation_id desc limit $9' : ''})`;
}

function partialBranch(paged: boolean): string {
  return `(select c.id, c.started_at as sort_at, ${paged ? SORT_KEY('c.started_at') : 'null::text'} as sort_key,
      c.contact, c.contact_name, v.version, c.status, c.answers, ${ISO('c.started_at')} as started_at, null::text as completed_at
    from conversations c
    join flow_versions v on v.id = c.flow_version_id
    where c.workspace_id = $1 and c.flow_id = $2
      and c.status <> 'completed' and c.answers <> '{}'::jsonb
      and ($3::integer is null or v.version = $3)
      and ($4::timestamptz is null or c.started_at >= $4)
      and ($5::timestamptz is null or c.started_at < $5)
      and ($6::boolean or not c.is_test)
      ${paged ? 'and ($7::timestamptz is null or (c.started_at <= $7 and (c.started_at, c.id) < ($7, $8::uuid)))' : ''}
    ${paged ? 'order by c.started_at desc, c.id desc limit $9' : ''})`;
}

function rowsSql(status: ResponseStatusFilter, paged: boolean): string {
  const branches =
    status === 'completed'
      ? completedBranch(paged)
      : status === 'partial'
        ? partialBranch(paged)
        : `${completedBranch(paged)} union all ${partialBranch(paged)}`;
  return `select id, sort_key, contact, contact_name, version, status, answers, started_at, completed_at
    from (${branches}) rows order by sort_at desc, id desc${paged ? ' limit $9' : ''}`;
}

const filterParams = (workspaceId: string, flowId: string, filters: ResponseFilters): unknown[] => [
  workspaceId,
  flowId,
  filters.version ?? null,
  filters.from ?? null,
  filters.to ?? null,
  filters.includeTest,
];

/** Every row the filters select, newest first, as one query (for a cursor): SQL and parameters. */
export function allRowsQuery(
  workspaceId: string,
  flowId: string,
  filters: ResponseFilters,
): { sql: string; params: unknown[] } {
  return { sql: rowsSql(filters.status, false), params: filterParams(workspaceId, flowId, filters) };
}

/** A row of `allRowsQuery` or of a page, as a record. */
export function recordOf(row: ResponseRow): ResponseRecord {
  return {
    conversationId: row.id,
    contact: row.contact,
    contactName: row.contact_name,
    version: row.version,
    status: row.status,
    answers: row.answers ?? {},
    startedAt: row.started_at,
    completedAt: row.completed_at,
    position: { at: row.sort_key ?? '', id: row.id },
  };
}

/** SQL for responses (completed and partial answers) of a flow; every query is scoped to a workspace. */
export class ResponsesRepository {
  /** The flow, deleted or not: a deleted flow's answers stay readable and exportable. */
  async flow(db: Queryable, workspaceId: string, flowId: string): Promise<FlowRef | null> {
    const { rows } = await db.query<FlowRef>(
      'select id, name from flows where id = $1 and workspace_id = $2',
      [flowId, workspaceId],
    );
    return rows[0] ?? null;
  }

  /**
   * The definitions whose questions make the answer columns: every published (or since archived)
   * version, newest first; with `withDrafts`, then the most recent distinct draft snapshots (what
   * simulator sessions ran), so test answers to questions never published have a column too.
   */
  async definitions(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    withDrafts: boolean,
  ): Promise<VersionDefinition[]> {
    const { rows } = await db.query<VersionDefinition>(
      `(select version, status, definition from flow_versions
        where workspace_id = $1 and flow_id = $2 and status <> 'draft' order by version desc)
       union all
       (select version, status, definition from (
          select distinct on (checksum) version, status, definition, created_at from flow_versions
          where workspace_id = $1 and flow_id = $2 and status = 'draft' and $3::boolean
          order by checksum, created_at desc) drafts
        order by created_at desc limit 20)`,
      [workspaceId, flowId, withDrafts],
    );
    return rows;
  }

  /** Up to `limit` rows after `after` in the order time desc, id desc. */
  async page(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    filters: ResponseFilters,
    after: ResponsePosition | null,
    limit: number,
  ): Promise<ResponseRecord[]> {
    const { rows } = await db.query<ResponseRow>(rowsSql(filters.status, true), [
      ...filterParams(workspaceId, flowId, filters),
      after?.at ?? null,
      after?.id ?? null,
      limit,
    ]);
    return rows.map(recordOf);
  }
}
