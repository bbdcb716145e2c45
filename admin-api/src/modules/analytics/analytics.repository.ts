import type { AgentHandoffs, HandoffAnalytics } from '@parley/contract';
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
  select c.id, c.status, c.released_at, c.current_node, c.started_at, c.ended_at,
    c.handoff_at, c.first_agent_reply_at, c.assigned_user_id
  from conversations c
  join flow_versions v on v.id = c.flow_version_id
  where c.workspace_id = $1 and c.flow_id = $2
    and ($3::integer is null or v.version = $3)
    and ($4::timestamptz is null or c.started_at >= $4)
    and ($5::timestamptz is null or c.started_at < $5)
    and ($6::boolean or not c.is_test))`;

/** Percentiles interpolate: a person reads whole seconds. */
const wholeSeconds = (seconds: number | null) => (seconds === null ? null : Math.round(seconds));

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

  /** The cohort's hand-offs: how many, how many still open, and the time to a first reply (seconds). */
  async handoffs(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    filters: AnalyticsFilters,
  ): Promise<Omit<HandoffAnalytics, 'agents'>> {
    const { rows } = await db.query<{
      total: number;
      open: number;
      answered: number;
      median: number | null;
      p90: number | null;
    }>(
      `with ${COHORT}, waits as (
         select status, released_at, extract(epoch from first_agent_reply_at - handoff_at)::float8 as seconds
         -- Hand-offs from before handoff_at was recorded count, without a time.
         from cohort where handoff_at is not null or status = 'handoff')
       select count(*)::integer as total,
         count(*) filter (where status = 'handoff' and released_at is null)::integer as open,
         count(seconds)::integer as answered,
         percentile_cont(0.5) within group (order by seconds) filter (where seconds is not null) as median,
         percentile_cont(0.9) within group (order by seconds) filter (where seconds is not null) as p90
       from waits`,
      params(workspaceId, flowId, filters),
    );
    const row = rows[0];
    return {
      total: row?.total ?? 0,
      open: row?.open ?? 0,
      answered: row?.answered ?? 0,
      medianSecondsToFirstReply: wholeSeconds(row?.median ?? null),
      p90SecondsToFirstReply: wholeSeconds(row?.p90 ?? null),
    };
  }

  /**
   * Per person, in the cohort's hand-offs: those they hold now or replied in, their replies (an
   * outbound row with the agent in its body, not refused), and the median time to a first reply
   * over the hand-offs they answered first. Most hand-offs first.
   */
  async agentHandoffs(
    db: Queryable,
    workspaceId: string,
    flowId: string,
    filters: AnalyticsFilters,
  ): Promise<AgentHandoffs[]> {
    const { rows } = await db.query<{
      id: string;
      name: string | null;
      taken: number;
      replies: number;
      median: number | null;
    }>(
      `with ${COHORT},
       handoffs as (select id, handoff_at, assigned_user_id from cohort where handoff_at is not null),
       replies as (
         select m.id, m.conversation_id, m.created_at, m.body->'agent'->>'id' as agent_id,
           m.body->'agent'->>'name' as agent_name
         from messages m join handoffs h on h.id = m.conversation_id
         where m.direction = 'out' and m.body->>'kind' = 'agent' and m.status <> 'failed'),
       firsts as (
         select distinct on (r.conversation_id) r.agent_id, extract(epoch from r.created_at - h.handoff_at)::float8 as seconds
         from replies r join handoffs h on h.id = r.conversation_id
         order by r.conversation_id, r.id),
       involved as (
         select agent_id, conversation_id from replies
         union select assigned_user_id::text, id from handoffs where assigned_user_id is not null)
       select i.agent_id as id,
         coalesce((select agent_name from replies r where r.agent_id = i.agent_id order by r.id desc limit 1), u.email) as name,
         count(distinct i.conversation_id)::integer as taken,
         (select count(*) from replies r where r.agent_id = i.agent_id)::integer as replies,
         (select percentile_cont(0.5) within group (order by f.seconds) from firsts f where f.agent_id = i.agent_id) as median
       from involved i left join users u on u.id::text = i.agent_id
       group by i.agent_id, u.email
       order by taken desc, name`,
      params(workspaceId, flowId, filters),
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name ?? 'Someone no longer in the team',
      taken: row.taken,
      replies: row.replies,
      medianSecondsToFirstReply: wholeSeconds(row.median),
    }));
  }
}
