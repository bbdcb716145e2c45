import { WorkspaceStatus } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import { type RouteDefinition, route } from '../../http/route.js';
import type { StatusRepository } from './status.repository.js';

/** How many recent problems the status screen lists. */
const RECENT_PROBLEMS = 20;

export function statusRoutes(api: ApiContext, status: StatusRepository): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/status',
      summary: 'How the workspace’s WhatsApp numbers are running',
      description:
        'Each number’s connection and the runtime holding it, what is waiting to be handled and sent, ' +
        'failed sends, open alerts and how their notices are delivered, and the recent problems with their reasons.',
      tag: 'status',
      access: 'admin',
      responses: { 200: { description: 'The status now', schema: WorkspaceStatus } },
      handler: async ({ caller }) => {
        const [numbers, recentProblems, alerts] = await Promise.all([
          status.numbers(api.db, caller.workspaceId),
          status.recentProblems(api.db, caller.workspaceId, RECENT_PROBLEMS),
          status.alerts(api.db, caller.workspaceId),
        ]);
        const sum = (pick: (row: (typeof numbers)[number]) => number) =>
          numbers.reduce((total, row) => total + pick(row), 0);
        return {
          status: 200,
          body: {
            numbers,
            recentProblems,
            totals: {
              inbox: sum((row) => row.inbox),
              outbox: sum((row) => row.outbox),
              failedSends24h: sum((row) => row.failedSends24h),
            },
            alerts,
            checkedAt: new Date().toISOString(),
          },
        };
      },
    }),
  ];
}
