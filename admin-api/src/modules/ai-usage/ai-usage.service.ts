import { PRICES_AS_OF } from '@parley/ai';
import { AI_QUOTA_WARNING_SHARE, type AiQuota, type AiUsage } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { AiUsageRepository } from './ai-usage.repository.js';

/** A UTC calendar month: `YYYY-MM` (already checked by the route's schema), or the month of `now`. */
export function monthRange(month: string | undefined, now: Date): { month: string; from: Date; to: Date } {
  const [year, index] =
    month === undefined
      ? [now.getUTCFullYear(), now.getUTCMonth()]
      : [Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1];
  const from = new Date(Date.UTC(year, index, 1));
  const to = new Date(Date.UTC(year, index + 1, 1));
  return { month: from.toISOString().slice(0, 7), from, to };
}

/** Where a month's use stands against the quota: the page's bar and what it says. */
export function quotaState(monthlyTokens: number | null, usedTokens: number): Omit<AiQuota, 'resetsAt'> {
  if (monthlyTokens === null) return { monthlyTokens, usedTokens, usedShare: null, state: 'none' };
  const usedShare = usedTokens / monthlyTokens;
  return {
    monthlyTokens,
    usedTokens,
    usedShare,
    state: usedShare >= 1 ? 'reached' : usedShare >= AI_QUOTA_WARNING_SHARE ? 'warning' : 'ok',
  };
}

/**
 * What the workspace's AI blocks used, from the runtime's one row per model call: totals and
 * breakdowns of a month, and the monthly token quota against this month's use (the quota the
 * runtime enforces: tokens in and out of every call in the UTC month).
 */
export class AiUsageService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: AiUsageRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async usage(caller: Caller, month: string | undefined): Promise<AiUsage> {
    const range = monthRange(month, this.now());
    const scope = { workspaceId: caller.workspaceId, from: range.from, to: range.to };
    const [totals, byFlow, byModel, byDay, quota] = await Promise.all([
      this.repository.totals(this.api.db, scope),
      this.repository.byFlow(this.api.db, scope),
      this.repository.byModel(this.api.db, scope),
      this.repository.byDay(this.api.db, scope),
      this.quota(caller),
    ]);
    return {
      month: range.month,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      pricesAsOf: PRICES_AS_OF,
      totals,
      byFlow,
      byModel,
      byDay,
      quota,
    };
  }

  /** The quota against this UTC month's use, whatever month the page shows. */
  async quota(caller: Caller): Promise<AiQuota> {
    const current = monthRange(undefined, this.now());
    const [monthlyTokens, usedTokens] = await Promise.all([
      this.repository.quota(this.api.db, caller.workspaceId),
      this.repository.tokens(this.api.db, {
        workspaceId: caller.workspaceId,
        from: current.from,
        to: current.to,
      }),
    ]);
    return { ...quotaState(monthlyTokens, usedTokens), resetsAt: current.to.toISOString() };
  }

  async setQuota(caller: Caller, monthlyTokens: number | null): Promise<AiQuota> {
    await this.api.db.transaction(async (tx) => {
      const before = await this.repository.quota(tx, caller.workspaceId);
      await this.repository.setQuota(tx, caller.workspaceId, monthlyTokens);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'workspace.ai_quota',
        entity: 'workspace',
        entityId: caller.workspaceId,
        before: { monthlyTokens: before },
        after: { monthlyTokens },
      });
    });
    return this.quota(caller);
  }
}
