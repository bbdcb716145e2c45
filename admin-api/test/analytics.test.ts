import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConversationSeed,
  type SeededFlow,
  seedConversation,
  seedFlow,
  uuidOf,
} from './support/results-seed.js';
import { startTestApi, type TestApi } from './support/test-api.js';

let t: TestApi;
let flow: SeededFlow;

const at = (time: string, day = '01') => `2026-03-${day}T${time}Z`;
const V2_NODES = ['m1', 'q_name', 'q_plan', 'q_tags', 'q_rating', 'q_location', 'end'];
const all = (answered: string[] = []) =>
  Object.fromEntries(V2_NODES.map((node) => [node, answered.includes(node)])) as Record<string, boolean>;
const QUESTIONS = ['q_name', 'q_plan', 'q_tags', 'q_rating', 'q_location'];

/**
 * The cohort, and what each conversation contributes (checked by hand below):
 * a1–a3 complete version 2 in 120, 240 and 600 s (a2 skipped q_tags); a4 expired and a5 abandoned
 * at q_plan; a6 failed at q_rating; a7 is still waiting at q_name; a8 was handed off at a node no
 * version has (h_help); a9 completed version 1 in 300 s; a10 is a simulator run; a11 started the day
 * before and expired at q_name.
 */
function conversations(): ConversationSeed[] {
  const v2 = flow.v2Id;
  return [
    {
      id: uuidOf(1),
      versionId: v2,
      contact: '+1',
      status: 'completed',
      currentNode: 'end',
      startedAt: at('10:00:00'),
      endedAt: at('10:02:00'),
      visits: all(QUESTIONS),
    },
    {
      id: uuidOf(2),
      versionId: v2,
      contact: '+2',
      status: 'completed',
      currentNode: 'end',
      startedAt: at('10:10:00'),
      endedAt: at('10:14:00'),
      visits: all(['q_name', 'q_plan', 'q_rating', 'q_location']),
    },
    {
      id: uuidOf(3),
      versionId: v2,
      contact: '+3',
      status: 'completed',
      currentNode: 'end',
      startedAt: at('10:20:00'),
      endedAt: at('10:30:00'),
      visits: all(QUESTIONS),
    },
    {
      id: uuidOf(4),
      versionId: v2,
      contact: '+4',
      status: 'expired',
      currentNode: 'q_plan',
      startedAt: at('11:00:00'),
      endedAt: at('11:30:00'),
      visits: { m1: false, q_name: true, q_plan: false },
    },
    {
      id: uuidOf(5),
      versionId: v2,
      contact: '+5',
      status: 'abandoned',
      currentNode: 'q_plan',
      startedAt: at('11:10:00'),
      endedAt: at('11:12:00'),
      visits: { m1: false, q_name: true, q_plan: false },
    },
    {
      id: uuidOf(6),
      versionId: v2,
      contact: '+6',
      status: 'failed',
      currentNode: 'q_rating',
      startedAt: at('11:20:00'),
      endedAt: at('11:25:00'),
      visits: { m1: false, q_name: true, q_plan: true, q_tags: true, q_rating: false },
    },
    {
      id: uuidOf(7),
      versionId: v2,
      contact: '+7',
      status: 'active',
      currentNode: 'q_name',
      startedAt: at('12:00:00'),
      visits: { m1: false, q_name: false },
    },
    {
      id: uuidOf(8),
      versionId: v2,
      contact: '+8',
      status: 'handoff',
      currentNode: 'h_help',
      startedAt: at('12:10:00'),
      visits: { m1: false, h_help: false },
    },
    {
      id: uuidOf(9),
      versionId: flow.v1Id,
      contact: '+9',
      status: 'completed',
      currentNode: 'end',
      startedAt: at('09:00:00'),
      endedAt: at('09:05:00'),
      visits: { m1: false, q_name: true, q_email: true, q_status: true, end: false },
    },
    {
      id: uuidOf(10),
      versionId: v2,
      contact: 'sim-1',
      status: 'completed',
      isTest: true,
      currentNode: 'end',
      startedAt: at('10:40:00'),
      endedAt: at('10:41:00'),
      visits: all(QUESTIONS),
    },
    {
      id: uuidOf(11),
      versionId: v2,
      contact: '+11',
      status: 'expired',
      currentNode: 'q_name',
      startedAt: '2026-02-28T23:00:00Z',
      endedAt: '2026-02-28T23:30:00Z',
      visits: { m1: false, q_name: false },
    },
  ];
}

beforeAll(async () => {
  t = await startTestApi();
  flow = await seedFlow(t.db, t.workspaceId);
  for (const seed of conversations()) await seedConversation(t.db, t.workspaceId, flow, seed);
});

afterAll(async () => {
  await t?.close();
});

async function analytics(params: Record<string, string> = {}, flowId = flow.flowId) {
  const reply = await t.admin.call('get', `/flows/${flowId}/analytics?${new URLSearchParams(params)}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body;
}

const node = (
  nodeId: string,
  type: string | null,
  label: string | null,
  reached: number,
  answered: number,
  droppedHere: number,
  waitingHere = 0,
) => ({ nodeId, type, label, name: NAMES[nodeId] ?? null, reached, answered, droppedHere, waitingHere });

/** How the funnel names each step: as the editor does, never by its id (h_help is in no version). */
const NAMES: Record<string, string> = {
  m1: 'Send message “Hi!”',
  q_name: 'Question “Full name”',
  q_plan: 'Question “Plan”',
  q_tags: 'Question “Interests”',
  q_rating: 'Question “Rating”',
  q_location: 'Question “Where are you”',
  end: 'End “Thanks!”',
  q_email: 'Question “Email”',
  q_status: 'Question “Marital status”',
};

describe('GET /flows/{id}/analytics', () => {
  it('counts the funnel of every non-test conversation by hand', async () => {
    expect(await analytics()).toEqual({
      starts: 10,
      completions: 4,
      completionRate: 0.4,
      // Completed in 120, 240, 300 and 600 s.
      medianSecondsToComplete: 270,
      byStatus: {
        active: 1,
        completed: 4,
        failed: 1,
        handoff: 1,
        handoffReleased: 0,
        expired: 2,
        abandoned: 1,
      },
      nodes: [
        // Version 2 in flow order…
        node('m1', 'message', 'Hi!', 10, 0, 0),
        node('q_name', 'question', 'Full name', 9, 7, 1, 1),
        node('q_plan', 'question', 'Plan', 6, 4, 2),
        node('q_tags', 'question', 'Interests', 4, 3, 0),
        node('q_rating', 'question', 'Rating', 4, 3, 1),
        node('q_location', 'question', 'Where are you', 3, 3, 0),
        node('end', 'end', null, 4, 0, 0),
        // …then what only version 1 had…
        node('q_email', 'question', 'Email', 1, 1, 0),
        node('q_status', 'question', 'Marital status', 1, 1, 0),
        // …then a node only the data knows. A hand-off is not a drop.
        node('h_help', null, null, 1, 0, 0),
      ],
      // a8, recorded without its hand-off time: counted, not timed.
      handoffs: {
        total: 1,
        open: 1,
        answered: 0,
        medianSecondsToFirstReply: null,
        p90SecondsToFirstReply: null,
        agents: [],
      },
    });
  });

  it('filters by version, time window and test data', async () => {
    const v2 = await analytics({ version: '2' });
    expect(v2).toMatchObject({
      starts: 9,
      completions: 3,
      completionRate: 1 / 3,
      medianSecondsToComplete: 240,
    });
    expect(v2.nodes.map((entry: { nodeId: string }) => entry.nodeId)).toEqual([...V2_NODES, 'h_help']);

    const march = await analytics({ from: at('00:00:00'), to: at('00:00:00', '02') });
    expect(march).toMatchObject({ starts: 9, byStatus: { expired: 1 } });
    expect(march.nodes[1]).toEqual(node('q_name', 'question', 'Full name', 8, 7, 0, 1));

    const withTests = await analytics({ includeTest: 'true' });
    expect(withTests).toMatchObject({
      starts: 11,
      completions: 5,
      completionRate: 5 / 11,
      medianSecondsToComplete: 240,
    });
    expect(withTests.nodes[6]).toEqual(node('end', 'end', null, 5, 0, 0));
  });

  it('a flow without conversations: zeros, a null median, its nodes', async () => {
    const empty = await seedFlow(t.db, t.workspaceId, 'Quiet flow');
    const body = await analytics({}, empty.flowId);
    expect(body).toMatchObject({
      starts: 0,
      completions: 0,
      completionRate: 0,
      medianSecondsToComplete: null,
      byStatus: {
        active: 0,
        completed: 0,
        failed: 0,
        handoff: 0,
        handoffReleased: 0,
        expired: 0,
        abandoned: 0,
      },
    });
    expect(body.nodes).toHaveLength(9);
    expect(body.nodes.every((entry: { reached: number }) => entry.reached === 0)).toBe(true);
  });

  it('a viewer may read it; another workspace’s flow is not found', async () => {
    const viewer = await t.member('viewer');
    const reply = await viewer.call('get', `/flows/${flow.flowId}/analytics`);
    expect(reply.status).toBe(200);
    expect(reply.body.starts).toBe(10);
    const elsewhere = await t.otherWorkspace();
    expect((await elsewhere.call('get', `/flows/${flow.flowId}/analytics`)).status).toBe(404);
    expect((await t.admin.call('get', `/flows/${flow.flowId}/analytics?from=soon`)).status).toBe(400);
  });

  it('documents its definitions in the OpenAPI document', async () => {
    const doc = await t.call('get', '/openapi.json');
    const operation = doc.body.paths['/flows/{id}/analytics'].get;
    expect(operation.description).toMatch(/reached = conversations that entered the node/);
    expect(operation.description).toMatch(
      /droppedHere = conversations that ended expired, abandoned or failed/,
    );
  });
});
