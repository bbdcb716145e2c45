/** Request and response schemas of GET /flows/{id}/analytics. */
import { type Static, Type } from '@sinclair/typebox';
import { CONVERSATION_STATUSES } from './enum-values.js';
import type { ConversationStatus } from './enums.js';

const Count = Type.Integer({ minimum: 0 });
/** A count per conversation status: a new status is a new field. */
const statusCounts = Object.fromEntries(CONVERSATION_STATUSES.map((status) => [status, Count])) as Record<
  ConversationStatus,
  typeof Count
>;

export const AnalyticsQuery = Type.Object({
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

export const NodeFunnel = Type.Object({
  nodeId: Type.String(),
  type: Type.Union([Type.String(), Type.Null()], {
    description: 'Node type; null for a node no listed version has',
  }),
  label: Type.Union([Type.String(), Type.Null()], {
    description: 'A question’s label or prompt, a message’s text',
  }),
  name: Type.Union([Type.String(), Type.Null()], {
    description:
      'The step as people name it: its type and its label or text (Question “Preferred date”), never its id; null for a node no listed version has',
  }),
  reached: Count,
  answered: Count,
  droppedHere: Count,
  waitingHere: Count,
});

const Seconds = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

/** One person's part in the cohort's hand-offs. */
export const AgentHandoffs = Type.Object({
  id: Type.String({ description: 'The person (user id) as their replies name them' }),
  name: Type.String({ description: 'As the inbox shows them' }),
  taken: Type.Integer({ minimum: 0, description: 'Hand-offs they hold now or replied in' }),
  replies: Type.Integer({ minimum: 0, description: 'Messages they sent to contacts (not those refused)' }),
  medianSecondsToFirstReply: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], {
    description: 'Over the hand-offs whose first reply was theirs; null when none',
  }),
});

/** The cohort's hand-offs to people: how many, how soon they were answered, and by whom. */
export const HandoffAnalytics = Type.Object({
  total: Type.Integer({
    minimum: 0,
    description: 'Conversations handed to a person (even if back with the bot now)',
  }),
  open: Type.Integer({ minimum: 0, description: 'Still with a person: not closed, not handed back' }),
  answered: Type.Integer({ minimum: 0, description: 'Those a person replied in' }),
  medianSecondsToFirstReply: Seconds,
  p90SecondsToFirstReply: Seconds,
  agents: Type.Array(AgentHandoffs),
});

export const FlowAnalytics = Type.Object({
  starts: Count,
  completions: Count,
  completionRate: Type.Number({ minimum: 0, maximum: 1 }),
  medianSecondsToComplete: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  byStatus: Type.Object({
    ...statusCounts,
    handoff: Type.Integer({ minimum: 0, description: 'Hand-offs still waiting for a person' }),
    handoffReleased: Type.Integer({
      minimum: 0,
      description: 'Hand-offs a person released: ended, not waiting',
    }),
  }),
  nodes: Type.Array(NodeFunnel),
  handoffs: HandoffAnalytics,
});

export type NodeFunnel = Static<typeof NodeFunnel>;
export type AgentHandoffs = Static<typeof AgentHandoffs>;
export type HandoffAnalytics = Static<typeof HandoffAnalytics>;
export type FlowAnalytics = Static<typeof FlowAnalytics>;
export type AnalyticsQuery = Static<typeof AnalyticsQuery>;
