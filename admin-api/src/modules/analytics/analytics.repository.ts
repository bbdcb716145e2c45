import type { Queryable } from '@parley/db';

export interface AnalyticsFilters {
  version?: number;
  /** Cohort: conversations started at or after this time. */
  from?: string;
  /** Cohort: conversations started before this time. */
  to?: string;
  includeTest: boolean;
}

export interface NodeCounts {
  nodeId: string;
  reached: number;
  answered: number;
}

export interface StopCounts {
  nodeId: string;
  status: string;
  count: number;
}

/**
 * The cohort: the flow's conversations started in the window. Parameters: $1 workspace, $2 flow,
 * $3 version, $4 from, $5 to, $6 include test.
 */
const COHORT = `cohort as (
  select c.id, c.status, c.released_at, c.current_node, c.started_at, c.ended_at
  from conversations c
  join flow_versions v on v.id = c.flow_version_id
  where c.workspace_id = $1 and c.flow_id = $2
    and ($3::integer is null or v.version = $3)
    and ($4::timestamptz is null or c.started_at >= $4)
    and ($5::timestamptz is null or c.started_at < $5)
    and ($6::boolean or not c.is_test))`;

const params = (workspaceId: string, flowId: string, filters: AnalyticsFilters) => [
  workspaceId,
  flowId,
  filters.version ?? null,
  filters.from ?? null,
  filters.to ?? null,
  filters.includeTest,
];

/** SQL for a flow's funnel: counts over conversations, node visits and stop nodes; scoped to a workspace. */
export class AnalyticsRepository {
  /**
   * Conversations per status (a released hand-off as `handoff_released`: nobody waits on it any
   * more), and the median time from start to completion (seconds).
   */
  async summary(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    filters: AnalyticsFilters,
  ): Promise<{ byStatus: Record<string, number>; medianSecondsToComplete: number | null }> {
    const { rows } = await db.query<{ status: string | null; count: number; median: number | null }>(
      `with ${COHORT}
       select case when status = 'handoff' and released_at is not null then 'handoff_released' else status end,
         count(*)::integer as count, null::float8 as median from cohort group by 1
       union all
       select null, 0, percentile_cont(0.5) within group (order by extract(epoch from (ended_at - started_at)))::float8
       from cohort where status = 'completed' and ended_at is not null`,
      params(workspaceId, flowId, filters),
    );
    const byStatus: Record<string, number> = {};
    let median: number | null = null;
    for (const row of rows) {
      if (row.status === null) median = row.median;
      else byStatus[row.status] = row.count;
    }
    return { byStatus, medianSecondsToComplete: median };
  }

  /**
   * Per node: conversations of the cohort that entered it (a `node_visits` row, written by the
   * runtime for every node a conversation enters, once per conversation and node) and that stored
   * an answer at it.
   */
  async nodeVisits(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    filters: AnalyticsFilters,
  ): Promise<NodeCounts[]> {
    const { rows } = await db.query<{ node_id: string; reached: number; answered: number }>(
      `with ${COHORT}
       select n.node_id, count(*)::integer as reached, count(*) filter (where n.answered)::integer as answered
       from cohort c join node_visits n on n.conversation_id = c.id
       group by n.node_id`,
      params(workspaceId, flowId, filters),
    );
    return rows.map((row) => ({ nodeId: row.node_id, reached: row.reached, answered: row.answered }));
  }

  /** Unfinished conversations by the node they stopped at (`current_node`) and their status. */
  async stops(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    filters: AnalyticsFilters,
  ): Promise<StopCounts[]> {
    const { rows } = await db.query<{ node_id: string; status: string; count: number }>(
      `with ${COHORT}
       select current_node as node_id, status, count(*)::integer as count
       from cohort where current_node is not null and status <> 'completed'
       group by current_node, status`,
      params(workspaceId, flowId, filters),
    );
    return rows.map((row) => ({ nodeId: row.node_id, status: row.status, count: row.count }));
  }
}
