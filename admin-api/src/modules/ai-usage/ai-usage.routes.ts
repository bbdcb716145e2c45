import { AiQuota, AiQuotaBody, AiUsage, AiUsageQuery } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { AiUsageService } from './ai-usage.service.js';

export function aiUsageRoutes(usage: AiUsageService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/ai/usage',
      summary: 'What the AI blocks used in a month: calls, tokens and an estimated cost',
      description:
        'Totals, by flow, by model and by day of a UTC month (this one by default), and the monthly token ' +
        'quota against this month’s use. Costs are estimates from list prices (`pricesAsOf`); calls on a ' +
        'model without a known price are counted in `unpricedCalls`, not in the cost.',
      tag: 'ai',
      access: 'viewer',
      query: AiUsageQuery,
      responses: { 200: { description: 'The month’s usage', schema: AiUsage } },
      handler: async ({ caller, query }) => ({ status: 200, body: await usage.usage(caller, query.month) }),
    }),
    route({
      method: 'put',
      path: '/ai/quota',
      summary: 'Set the tokens the AI blocks may use per month (null: no limit)',
      description:
        'Tokens in and out of every model call count, per UTC month. Once they reach the quota, AI blocks ' +
        'leave by their Failure path, saying so, until the month ends or the quota is raised.',
      tag: 'ai',
      access: 'admin',
      body: AiQuotaBody,
      responses: { 200: { description: 'The quota against this month’s use', schema: AiQuota } },
      handler: async ({ caller, body }) => ({
        status: 200,
        body: await usage.setQuota(caller, body.monthlyTokens),
      }),
    }),
  ];
}
