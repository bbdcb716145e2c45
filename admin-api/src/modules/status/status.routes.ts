import { WorkspaceStatus } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { StatusService } from './status.service.js';

export function statusRoutes(status: StatusService): RouteDefinition[] {
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
      handler: async ({ caller }) => ({ status: 200, body: await status.now(caller.workspaceId) }),
    }),
  ];
}
