import { AuditPage, AuditQuery, InvalidCursor } from '@parley/contract';
import type { ApiContext } from '../../api-context.js';
import { type RouteDefinition, route } from '../../http/route.js';

export function auditRoutes(api: ApiContext): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/audit',
      summary: 'The audit log of the workspace, newest first',
      tag: 'audit',
      access: 'admin',
      query: AuditQuery,
      responses: { 200: { description: 'A page of entries', schema: AuditPage } },
      handler: async ({ caller, query }) => {
        const limit = query.limit ?? 50;
        const before = query.cursor === undefined || query.cursor === '' ? undefined : Number(query.cursor);
        if (before !== undefined && !(Number.isSafeInteger(before) && before > 0)) {
          throw new InvalidCursor();
        }
        const items = await api.audit.list(api.db, caller.workspaceId, {
          limit,
          ...(before === undefined ? {} : { before }),
          ...(query.entity === undefined ? {} : { entity: query.entity }),
        });
        const last = items.at(-1);
        return {
          status: 200,
          body: { items, nextCursor: items.length === limit && last ? String(last.id) : null },
        };
      },
    }),
  ];
}
