import { Type } from '@sinclair/typebox';
import { type RouteDefinition, route } from '../../http/route.js';
import { IdParams } from '../../http/schemas.js';
import type { AnalyticsService } from './analytics.service.js';

const Count = Type.Integer({ minimum: 0 });

const AnalyticsQuery = Type.Object({
  version: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 2_147_483_647,
      description: 'Only conversations of this flow version',
    }),
  ),
  from: Type.Optional(
    Type.String({ format: 'date-time', description: 'Conversations started at or after this time' }),
  ),
  to: Type.Optional(
    Type.String({ format: 'date-time', description: 'Conversations started before this time' }),
  ),
  includeTest: Type.Optional(
    Type.Boolean({ default: false, description: 'Include simulator (test) conversations' }),
  ),
});

const NodeFunnel = Type.Object({
  nodeId: Type.String(),
  type: Type.Union([Type.String(), Type.Null()], {
    description: 'Node type; null for a node no listed version has',
  }),
  label: Type.Union([Type.String(), Type.Null()], {
    description: 'A question’s label or prompt, a message’s text',
  }),
  reached: Count,
  answered: Count,
  droppedHere: Count,
  waitingHere: Count,
});

const AnalyticsBody = Type.Object({
  starts: Count,
  completions: Count,
  completionRate: Type.Number({ minimum: 0, maximum: 1 }),
  medianSecondsToComplete: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  byStatus: Type.Object({
    active: Count,
    completed: Count,
    failed: Count,
    handoff: Type.Integer({ minimum: 0, description: 'Hand-offs still waiting for a person' }),
    handoffReleased: Type.Integer({
      minimum: 0,
      description: 'Hand-offs a person released: ended, not waiting',
    }),
    expired: Count,
    abandoned: Count,
  }),
  nodes: Type.Array(NodeFunnel),
});

const DESCRIPTION = [
  'The cohort is the flow’s conversations that started in [from, to) (of one version with version; simulator',
  'conversations only with includeTest). starts = conversations in the cohort; completions = those completed;',
  'completionRate = completions / starts (0 when there are no starts); medianSecondsToComplete = median of',
  'ended_at − started_at over completed ones (null when none); byStatus = conversations per status, a',
  'hand-off as handoff while it waits for a person and as handoffReleased once released (together: every hand-off).',
  'nodes, in flow order (nodes of the chosen version, else of every published version newest first, then nodes',
  'only the data knows): reached = conversations that entered the node at least once (loops count once);',
  'answered = conversations that stored a valid answer at that question (skips and invalid replies do not count;',
  '0 for other nodes); droppedHere = conversations that ended expired, abandoned or failed while this was the',
  'node they stopped at; waitingHere = conversations still active and waiting at this node (not a drop yet).',
  'A hand-off is not a drop: it shows in byStatus (handoff or handoffReleased) and in reached at the hand-off node.',
  'Visits come from node_visits, which the runtime writes since it has that table: conversations recorded',
  'before count in starts, completions and byStatus but not per node.',
].join(' ');

export function analyticsRoutes(analytics: AnalyticsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/flows/{id}/analytics',
      summary: 'Completion funnel of a flow: starts, completions, time to complete, drop-off per node',
      description: DESCRIPTION,
      tag: 'analytics',
      access: 'viewer',
      params: IdParams,
      query: AnalyticsQuery,
      responses: { 200: { description: 'The funnel', schema: AnalyticsBody } },
      handler: async ({ caller, params, query }) => ({
        status: 200,
        body: await analytics.flowAnalytics(caller, params.id, {
          includeTest: query.includeTest ?? false,
          ...(query.version === undefined ? {} : { version: query.version }),
          ...(query.from === undefined ? {} : { from: query.from }),
          ...(query.to === undefined ? {} : { to: query.to }),
        }),
      }),
    }),
  ];
}
