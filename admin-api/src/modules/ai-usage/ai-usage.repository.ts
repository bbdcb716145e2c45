import type { AiProviderKind, AiUsageCounts } from '@parley/contract';
import type { Queryable } from '@parley/db';

interface CountRow {
  calls: number;
  failed_calls: number;
  input_tokens: string;
  output_tokens: string;
  cost_usd: string | null;
  unpriced_calls: number;
}

/** The sums every breakdown shares; bigint and numeric sums come back as strings. */
const COUNTS = `count(*)::integer as calls,
  count(*) filter (where u.error_code is not null)::integer as failed_calls,
  coalesce(sum(u.input_tokens), 0)::bigint as input_tokens,
  coalesce(sum(u.output_tokens), 0)::bigint as output_tokens,
  sum(u.cost_usd) as cost_usd,
  count(*) filter (where u.cost_usd is null and u.input_tokens + u.output_tokens > 0)::integer as unpriced_calls`;

const ORDER_BY_TOKENS = 'order by sum(u.input_tokens::bigint + u.output_tokens) desc nulls last';

function counts(row: CountRow): AiUsageCounts {
  return {
    calls: row.calls,
    failedCalls: row.failed_calls,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: row.cost_usd === null ? 0 : Number(row.cost_usd),
    unpricedCalls: row.unpriced_calls,
  };
}

/** A workspace's model calls between two instants, summed as the usage page shows them. */
export interface UsageRange {
  workspaceId: string;
  from: Date;
  to: Date;
}

/** Reads `ai_usage` (written by the runtime, one row per model call) and the workspace's quota. */
export class AiUsageRepository {
  async totals(db: Queryable, range: UsageRange): Promise<AiUsageCounts> {
    const { rows } = await db.query<CountRow>(
      `select ${COUNTS} from ai_usage u where u.workspace_id = $1 and u.at >= $2 and u.at < $3`,
      [range.workspaceId, range.from, range.to],
    );
    return counts(rows[0] as CountRow);
  }

  /** By flow, flows since deleted for good (and calls outside a flow) together under a null id. */
  async byFlow(
    db: Queryable,
    range: UsageRange,
  ): Promise<(AiUsageCounts & { flowId: string | null; flowName: string | null })[]> {
    const { rows } = await db.query<CountRow & { flow_id: string | null; flow_name: string | null }>(
      `select u.flow_id, f.name as flow_name, ${COUNTS}
       from ai_usage u left join flows f on f.id = u.flow_id and f.workspace_id = u.workspace_id
       where u.workspace_id = $1 and u.at >= $2 and u.at < $3
       group by u.flow_id, f.name ${ORDER_BY_TOKENS}, f.name`,
      [range.workspaceId, range.from, range.to],
    );
    return rows.map((row) => ({ flowId: row.flow_id, flowName: row.flow_name, ...counts(row) }));
  }

  async byModel(
    db: Queryable,
    range: UsageRange,
  ): Promise<(AiUsageCounts & { kind: AiProviderKind; model: string })[]> {
    const { rows } = await db.query<CountRow & { kind: AiProviderKind; model: string }>(
      `select u.kind, u.model, ${COUNTS}
       from ai_usage u where u.workspace_id = $1 and u.at >= $2 and u.at < $3
       group by u.kind, u.model ${ORDER_BY_TOKENS}, u.model`,
      [range.workspaceId, range.from, range.to],
    );
    return rows.map((row) => ({ kind: row.kind, model: row.model, ...counts(row) }));
  }

  /** By UTC day, only the days with calls. */
  async byDay(db: Queryable, range: UsageRange): Promise<(AiUsageCounts & { day: string })[]> {
    const { rows } = await db.query<CountRow & { day: string }>(
      `select to_char(u.at at time zone 'UTC', 'YYYY-MM-DD') as day, ${COUNTS}
       from ai_usage u where u.workspace_id = $1 and u.at >= $2 and u.at < $3
       group by 1 order by 1`,
      [range.workspaceId, range.from, range.to],
    );
    return rows.map((row) => ({ day: row.day, ...counts(row) }));
  }

  /** Tokens in and out of every call in the range: what the quota counts. */
  async tokens(db: Queryable, range: UsageRange): Promise<number> {
    const { rows } = await db.query<{ tokens: string }>(
      `select coalesce(sum(input_tokens::bigint + output_tokens), 0)::bigint as tokens
       from ai_usage where workspace_id = $1 and at >= $2 and at < $3`,
      [range.workspaceId, range.from, range.to],
    );
    return Number(rows[0]?.tokens ?? 0);
  }

  async quota(db: Queryable, workspaceId: string): Promise<number | null> {
    const { rows } = await db.query<{ quota: string | null }>(
      'select ai_monthly_token_quota as quota from workspaces where id = $1',
      [workspaceId],
    );
    const quota = rows[0]?.quota ?? null;
    return quota === null ? null : Number(quota);
  }

  async setQuota(db: Queryable, workspaceId: string, tokens: number | null): Promise<void> {
    await db.query('update workspaces set ai_monthly_token_quota = $2 where id = $1', [workspaceId, tokens]);
  }
}
