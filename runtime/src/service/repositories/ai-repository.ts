import type { AiProviderKind } from '@parley/contract';
import { isUuid, type Queryable } from '@parley/db';
import type { AiTurn } from '@parley/engine';

/** A workspace's AI provider as a call needs it; the key still sealed. */
export interface AiCredentialRow {
  name: string;
  kind: AiProviderKind;
  baseUrl: string | null;
  sealedKey: string | null;
}

/** One model call, as `ai_usage` keeps it. */
export interface AiUsageRow {
  workspaceId: string;
  credentialId: string;
  /** conversations.id; the flow is read from it. */
  conversationId: string;
  nodeId: string;
  kind: AiProviderKind;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  errorCode: string | null;
  latencyMs: number;
}

/** How many earlier messages an AI block may read of its conversation. */
export const TRANSCRIPT_LIMIT = 30;

/** What the runtime reads and writes for AI blocks: credentials, the monthly quota, usage, transcripts. */
export class AiRepository {
  /** The credential, only when it belongs to this workspace (an id from elsewhere finds nothing). */
  async credential(db: Queryable, workspaceId: string, id: string): Promise<AiCredentialRow | null> {
    if (!isUuid(id)) return null;
    const { rows } = await db.query<{
      name: string;
      kind: AiProviderKind;
      base_url: string | null;
      api_key: string | null;
    }>('select name, kind, base_url, api_key from ai_credentials where workspace_id = $1 and id = $2', [
      workspaceId,
      id,
    ]);
    const row = rows[0];
    return row === undefined
      ? null
      : { name: row.name, kind: row.kind, baseUrl: row.base_url, sealedKey: row.api_key };
  }

  /** The workspace's monthly token quota (null: no limit) and the tokens used this UTC calendar month. */
  async monthlyTokens(db: Queryable, workspaceId: string): Promise<{ quota: number | null; used: number }> {
    const { rows } = await db.query<{ quota: string | null; used: string }>(
      `select w.ai_monthly_token_quota as quota,
         (select coalesce(sum(u.input_tokens::bigint + u.output_tokens), 0) from ai_usage u
          where u.workspace_id = w.id
            and u.at >= date_trunc('month', now() at time zone 'UTC') at time zone 'UTC') as used
       from workspaces w where w.id = $1`,
      [workspaceId],
    );
    const row = rows[0];
    return {
      quota: row?.quota == null ? null : Number(row.quota),
      used: row === undefined ? 0 : Number(row.used),
    };
  }

  async recordUsage(db: Queryable, row: AiUsageRow): Promise<void> {
    await db.query(
      `insert into ai_usage (workspace_id, credential_id, flow_id, conversation_id, node_id, kind, model,
         input_tokens, output_tokens, cost_usd, error_code, latency_ms)
       select $1, c.id, (select flow_id from conversations where id = $3), (select id from conversations where id = $3),
         $4, $5, $6, $7, $8, $9, $10, $11
       from (select $2::uuid as wanted) w left join ai_credentials c on c.id = w.wanted`,
      [
        row.workspaceId,
        row.credentialId,
        row.conversationId,
        row.nodeId,
        row.kind,
        row.model,
        row.inputTokens,
        row.outputTokens,
        row.costUsd,
        row.errorCode,
        row.latencyMs,
      ],
    );
  }

  /** The conversation's last text messages, oldest first: the contact's as `user`, the bot's as `assistant`. */
  /**
   * The conversation's last text messages up to message id `until` (all so far when absent), and
   * the id they end at: an AI reply's later calls stop where its first call's transcript did.
   */
  async transcript(
    db: Queryable,
    conversationId: string,
    until: number | undefined,
  ): Promise<{ turns: AiTurn[]; until: number }> {
    const { rows } = await db.query<{ id: string; direction: 'in' | 'out'; text: string }>(
      `select id, direction, text from (
         select id, direction, body->>'text' as text from messages
         where conversation_id = $1 and type = 'text' and coalesce(body->>'text', '') <> ''
           and not body ? 'control' and status <> 'failed'
           and ($3::bigint is null or id <= $3::bigint)
         order by id desc limit $2
       ) last order by id`,
      [conversationId, TRANSCRIPT_LIMIT, until ?? null],
    );
    return {
      turns: rows.map((row) => ({ role: row.direction === 'in' ? 'user' : 'assistant', text: row.text })),
      until: until ?? Number(rows.at(-1)?.id ?? 0),
    };
  }
}
