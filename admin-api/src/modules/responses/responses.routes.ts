import { IdParams, ResponseListQuery, ResponsePage } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { ResponseFilters } from './responses.repository.js';
import type { ResponsesService } from './responses.service.js';

export type ResponseFilterInput = {
  version?: number;
  from?: string;
  to?: string;
  status?: ResponseFilters['status'];
  includeTest?: boolean;
};

export function filtersOf(query: ResponseFilterInput): ResponseFilters {
  return {
    status: query.status ?? 'completed',
    includeTest: query.includeTest ?? false,
    ...(query.version === undefined ? {} : { version: query.version }),
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
  };
}

export function responseRoutes(responses: ResponsesService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/flows/{id}/responses',
      summary: 'Answers of a flow: completed responses, and partial answers of unfinished conversations',
      description:
        'Completed responses by default; status=partial gives conversations that did not complete (active, ' +
        'expired, abandoned, failed, handoff) and hold at least one answer; status=all both. Newest first by ' +
        'completed_at (started_at for partial rows), then by conversation id; paged with an opaque cursor ' +
        '(nextCursor, null on the last page). from is inclusive, to exclusive, on the same time. columns lists ' +
        'the answer variables of every published version in flow order (the newest version’s order first, then ' +
        'variables only older versions had; with includeTest also those of recent simulator drafts).',
      tag: 'responses',
      access: 'viewer',
      params: IdParams,
      query: ResponseListQuery,
      responses: {
        200: { description: 'A page of responses with the answer columns', schema: ResponsePage },
      },
      handler: async ({ caller, params, query }) => ({
        status: 200,
        body: await responses.list(caller, params.id, filtersOf(query), {
          limit: query.limit ?? 50,
          ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        }),
      }),
    }),
  ];
}
