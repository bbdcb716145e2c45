import { type Static, Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import { CursorQuery, IdParams, Timestamp, Uuid } from '../../http/schemas.js';
import type { ResponseFilters } from './responses.repository.js';
import type { ResponsesService } from './responses.service.js';

const Status = Type.Union([
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('handoff'),
  Type.Literal('expired'),
  Type.Literal('abandoned'),
]);

/** The filters the list, the exports and (partly) the analytics share. */
export const ResponseFilterQuery = {
  version: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 2_147_483_647,
      description: 'Only this flow version (0: simulator runs of drafts)',
    }),
  ),
  from: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'From this time, inclusive: completed_at for completed rows, started_at for partial ones',
    }),
  ),
  to: Type.Optional(
    Type.String({ format: 'date-time', description: 'Before this time, exclusive (same times as from)' }),
  ),
  status: Type.Optional(
    Type.Union([Type.Literal('completed'), Type.Literal('partial'), Type.Literal('all')], {
      default: 'completed',
      description:
        'completed: conversations that completed (their responses). partial: conversations that did not complete ' +
        '(active, expired, abandoned, failed, handoff) and hold at least one answer. all: both.',
    }),
  ),
  includeTest: Type.Optional(
    Type.Boolean({ default: false, description: 'Include simulator (test) conversations' }),
  ),
};

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

export const AnswerColumnSchema = Type.Object({
  variable: Type.String(),
  title: Type.String(),
  type: Type.String({ description: 'JSON Schema type of the answer' }),
  personal: Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Null()], {
    description: 'A phone or email answer: masked in exports with maskPhone=true',
  }),
});

const ResponseItemSchema = Type.Object({
  conversationId: Uuid,
  contact: Type.String(),
  contactName: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  status: Status,
  answers: Type.Record(Type.String(), Type.Unknown()),
  startedAt: Timestamp,
  completedAt: Type.Union([Timestamp, Type.Null()]),
});

const ListQuery = Type.Object({ ...CursorQuery, ...ResponseFilterQuery });
const ListBody = Type.Object({
  columns: Type.Array(AnswerColumnSchema, {
    description: 'Answer variables of all published versions, in flow order (newest version first)',
  }),
  items: Type.Array(ResponseItemSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export type ResponseListQuery = Static<typeof ListQuery>;

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
      query: ListQuery,
      responses: { 200: { description: 'A page of responses with the answer columns', schema: ListBody } },
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
