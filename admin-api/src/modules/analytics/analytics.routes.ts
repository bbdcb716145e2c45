import { AnalyticsQuery, FlowAnalytics, IdParams } from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { AnalyticsService } from './analytics.service.js';

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
  'handoffs: of the cohort, those handed to a person (total), still with one (open), answered by one (answered), the',
  'median and 90th percentile of handoff_at → first_agent_reply_at in seconds (null when none was answered), and per',
  'person (agents): hand-offs they hold now or replied in (taken), their messages to contacts not refused (replies),',
  'and the median time to a first reply over the hand-offs they answered first.',
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
      responses: { 200: { description: 'The funnel', schema: FlowAnalytics } },
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
