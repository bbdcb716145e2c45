import { validateFlow } from '@parley/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPECTED_COLUMNS,
  FLOW_V1,
  FLOW_V2,
  type SeededFlow,
  seedConversation,
  seedFlow,
  uuidOf,
} from './support/results-seed.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

let t: TestApi;
let flow: SeededFlow;

const at = (time: string) => `2026-03-01T${time}Z`;
const c = (n: number) => uuidOf(n);

beforeAll(async () => {
  t = await startTestApi();
  flow = await seedFlow(t.db, t.workspaceId);
  const seed = (s: Parameters<typeof seedConversation>[3]) => seedConversation(t.db, t.workspaceId, flow, s);
  await seed({
    id: c(1),
    versionId: flow.v1Id,
    contact: '+15550000001',
    contactName: 'Ann',
    status: 'completed',
    answers: { name: 'Ann', email: 'ann@example.com', status: 'single' },
    startedAt: at('10:00:00'),
    endedAt: at('10:05:00'),
  });
  await seed({
    id: c(2),
    versionId: flow.v2Id,
    contact: '+15550000002',
    contactName: 'Bob',
    status: 'completed',
    answers: {
      name: 'Bob',
      plan: 'pro',
      tags: ['news', 'events'],
      rating: 5,
      location: { lat: 1.5, lng: 2.5 },
    },
    startedAt: at('11:00:00'),
    endedAt: at('11:02:00.250'),
  });
  // Completed at the same instant as c(2): the id breaks the tie (higher first).
  await seed({
    id: c(10),
    versionId: flow.v2Id,
    contact: '+15550000010',
    status: 'completed',
    answers: { name: 'Ten' },
    startedAt: at('10:59:00'),
    endedAt: at('11:02:00.250'),
  });
  await seed({
    id: c(3),
    versionId: flow.v2Id,
    contact: '+15550000003',
    status: 'completed',
    isTest: true,
    answers: { name: 'Tess' },
    startedAt: at('12:00:00'),
    endedAt: at('12:01:00'),
  });
  await seed({
    id: c(4),
    versionId: flow.v2Id,
    contact: '+15550000004',
    contactName: 'Dee',
    status: 'expired',
    answers: { name: 'Dee', plan: 'basic' },
    currentNode: 'q_tags',
    startedAt: at('13:00:00'),
    endedAt: at('13:40:00'),
  });
  await seed({
    id: c(5),
    versionId: flow.v2Id,
    contact: '+15550000005',
    status: 'active',
    answers: { name: 'Eve' },
    currentNode: 'q_plan',
    startedAt: at('14:00:00'),
  });
  // No answer at all: not a partial response.
  await seed({
    id: c(6),
    versionId: flow.v2Id,
    contact: '+15550000006',
    status: 'abandoned',
    answers: {},
    startedAt: at('15:00:00'),
    endedAt: at('15:01:00'),
  });
  await seed({
    id: c(7),
    versionId: flow.v1Id,
    contact: '+15550000007',
    status: 'failed',
    answers: { name: 'Gus' },
    startedAt: at('09:00:00'),
    endedAt: at('09:01:00'),
  });
  await seed({
    id: c(8),
    versionId: flow.v2Id,
    contact: '+15550000008',
    status: 'handoff',
    answers: { name: 'Hal' },
    startedAt: at('08:00:00'),
  });
  // A simulator run of the draft (version 0).
  await seed({
    id: c(9),
    versionId: flow.draftId,
    contact: 'sim-1',
    status: 'active',
    isTest: true,
    answers: { name: 'Ivy' },
    startedAt: at('10:30:00'),
  });
});

afterAll(async () => {
  await t?.close();
});

const query = (params: Record<string, string | number | boolean>) =>
  `?${new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]))}`;

async function list(client: Client, params: Record<string, string | number | boolean> = {}) {
  const reply = await client.call('get', `/flows/${flow.flowId}/responses${query(params)}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body as {
    columns: { variable: string; title: string; type: string }[];
    items: { conversationId: string; status: string; version: number; answers: Record<string, unknown> }[];
    nextCursor: string | null;
  };
}

const ids = (body: { items: { conversationId: string }[] }) => body.items.map((item) => item.conversationId);

describe('GET /flows/{id}/responses', () => {
  it('the seeded flow documents are valid', () => {
    expect(validateFlow(FLOW_V1).errors).toEqual([]);
    expect(validateFlow(FLOW_V2).errors).toEqual([]);
  });

  it('lists completed responses by default, newest first, ties broken by id, with every field', async () => {
    const body = await list(t.admin);
    expect(ids(body)).toEqual([c(10), c(2), c(1)]);
    expect(body.nextCursor).toBeNull();
    expect(body.items[1]).toEqual({
      conversationId: c(2),
      contact: '+15550000002',
      contactName: 'Bob',
      version: 2,
      status: 'completed',
      answers: {
        name: 'Bob',
        plan: 'pro',
        tags: ['news', 'events'],
        rating: 5,
        location: { lat: 1.5, lng: 2.5 },
      },
      startedAt: '2026-03-01T11:00:00.000Z',
      completedAt: '2026-03-01T11:02:00.250Z',
    });
    expect(body.items[2]).toMatchObject({ version: 1, contactName: 'Ann', answers: { status: 'single' } });
  });

  it('reports the answer columns of all published versions in flow order, newest version first', async () => {
    const body = await list(t.admin);
    expect(body.columns).toEqual(EXPECTED_COLUMNS);
    // The same columns whatever the filter: a spreadsheet built on them keeps its shape.
    expect((await list(t.admin, { version: 1 })).columns).toEqual(EXPECTED_COLUMNS);
  });

  it('partial: unfinished conversations with at least one answer, by start time', async () => {
    const body = await list(t.admin, { status: 'partial' });
    expect(ids(body)).toEqual([c(5), c(4), c(7), c(8)]);
    expect(body.items.map((item) => item.status)).toEqual(['active', 'expired', 'failed', 'handoff']);
    expect(body.items[1]).toMatchObject({
      answers: { name: 'Dee', plan: 'basic' },
      completedAt: null,
      startedAt: '2026-03-01T13:00:00.000Z',
    });
  });

  it('all: both, merged on their times (completed_at, or started_at when partial)', async () => {
    expect(ids(await list(t.admin, { status: 'all' }))).toEqual([c(5), c(4), c(10), c(2), c(1), c(7), c(8)]);
  });

  it('includeTest adds simulator conversations (draft snapshots are version 0)', async () => {
    expect(ids(await list(t.admin, { status: 'all', includeTest: true }))).toEqual([
      c(5),
      c(4),
      c(3),
      c(10),
      c(2),
      c(9),
      c(1),
      c(7),
      c(8),
    ]);
    const drafts = await list(t.admin, { status: 'all', includeTest: true, version: 0 });
    expect(drafts.items).toEqual([
      expect.objectContaining({ conversationId: c(9), version: 0, status: 'active' }),
    ]);
  });

  it('with includeTest, columns also come from simulator drafts (a question not published yet)', async () => {
    const draft = structuredClone(FLOW_V2) as typeof FLOW_V2 & { nodes: unknown[] };
    draft.nodes.push({
      id: 'q_new',
      type: 'question',
      config: { prompt: 'New?', variable: 'fresh', answer: { type: 'boolean' } },
    });
    await t.db.query(
      `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum) values ($1, $2, 0, 'draft', $3::jsonb, 'draft-2')`,
      [t.workspaceId, flow.flowId, JSON.stringify(draft)],
    );
    expect((await list(t.admin, { includeTest: true })).columns).toEqual([
      ...EXPECTED_COLUMNS,
      { variable: 'fresh', title: 'New?', type: 'boolean', personal: null },
    ]);
    expect((await list(t.admin)).columns).toEqual(EXPECTED_COLUMNS);
  });

  it('filters by version', async () => {
    expect(ids(await list(t.admin, { version: 1 }))).toEqual([c(1)]);
    expect(ids(await list(t.admin, { version: 1, status: 'partial' }))).toEqual([c(7)]);
    expect(ids(await list(t.admin, { version: 2, status: 'all' }))).toEqual([c(5), c(4), c(10), c(2), c(8)]);
    expect(ids(await list(t.admin, { version: 7 }))).toEqual([]);
  });

  it('filters by time: from inclusive, to exclusive', async () => {
    expect(ids(await list(t.admin, { from: at('10:05:00'), to: at('11:02:00.250') }))).toEqual([c(1)]);
    expect(ids(await list(t.admin, { from: at('11:02:00.250') }))).toEqual([c(10), c(2)]);
    expect(ids(await list(t.admin, { status: 'partial', from: at('13:00:00') }))).toEqual([c(5), c(4)]);
    expect(ids(await list(t.admin, { status: 'partial', to: at('13:00:00') }))).toEqual([c(7), c(8)]);
  });

  it('pages with an opaque cursor through the same rows in the same order', async () => {
    const params = { status: 'all', includeTest: true };
    const all = ids(await list(t.admin, params));
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(t.admin, { ...params, limit, ...(cursor === null ? {} : { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        seen.push(...ids(page));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null);
      expect(seen).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / limit));
    }
  });

  it('refuses a cursor it did not make, and a bad filter', async () => {
    const bad = await t.admin.call('get', `/flows/${flow.flowId}/responses?cursor=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ pointer: '/query/cursor' })]);
    expect((await t.admin.call('get', `/flows/${flow.flowId}/responses?status=done`)).status).toBe(400);
    expect((await t.admin.call('get', `/flows/${flow.flowId}/responses?from=yesterday`)).status).toBe(400);
    expect((await t.admin.call('get', `/flows/${flow.flowId}/responses?limit=0`)).status).toBe(400);
  });

  it('a viewer may read; without a token nobody may', async () => {
    const viewer = await t.member('viewer');
    expect(ids(await list(viewer))).toEqual([c(10), c(2), c(1)]);
    expect((await t.call('get', `/flows/${flow.flowId}/responses`)).status).toBe(401);
  });

  it('another workspace’s flow is not found, either way round', async () => {
    const elsewhere = await t.otherWorkspace();
    expect((await elsewhere.call('get', `/flows/${flow.flowId}/responses`)).status).toBe(404);
    const foreign = await seedFlow(t.db, elsewhere.workspace as string, 'Foreign');
    await seedConversation(t.db, elsewhere.workspace as string, foreign, {
      id: c(99),
      versionId: foreign.v2Id,
      contact: '+15550000099',
      status: 'completed',
      answers: { name: 'Foreign' },
      startedAt: at('10:00:00'),
      endedAt: at('10:01:00'),
    });
    expect((await t.admin.call('get', `/flows/${foreign.flowId}/responses`)).status).toBe(404);
    const theirs = await elsewhere.call('get', `/flows/${foreign.flowId}/responses`);
    expect(theirs.body.items.map((item: { conversationId: string }) => item.conversationId)).toEqual([c(99)]);
    expect((await t.admin.call('get', '/flows/00000000-0000-4000-8000-000000000000/responses')).status).toBe(
      404,
    );
  });

  it('is in the OpenAPI document', async () => {
    const doc = await t.call('get', '/openapi.json');
    const operation = doc.body.paths['/flows/{id}/responses'].get;
    expect(operation['x-parley-role']).toBe('viewer');
    expect(operation.description).toContain('partial');
  });
});
