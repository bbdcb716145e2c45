import { randomUUID } from 'node:crypto';
import { busChannels } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

interface Seeded {
  id: string;
  startedAt: string;
}

describe('conversations API', () => {
  let api: TestApi;
  let admin: Client;
  let editor: Client;
  let viewer: Client;
  let other: Client;
  let numberA: string;
  let numberB: string;
  let flowA: string;
  let flowB: string;
  let versionA: string;
  let versionB: string;
  const seeded: Seeded[] = [];

  async function publishedFlow(client: Client, name: string): Promise<{ flowId: string; versionId: string }> {
    const flow = await client.call('post', '/flows', { name, definition: intakeFlow(name) });
    await client.call('post', `/flows/${flow.body.id}/publish`);
    const { rows } = await api.db.query<{ id: string }>(
      `select id from flow_versions where flow_id = $1 and status = 'published'`,
      [flow.body.id],
    );
    return { flowId: flow.body.id, versionId: (rows[0] as { id: string }).id };
  }

  /** A conversation row as the runtime writes it. */
  async function seed(options: {
    workspaceId?: string;
    numberId: string;
    flowId: string;
    versionId: string;
    startedAt: string;
    status?: string;
    contact?: string;
    isTest?: boolean;
  }): Promise<string> {
    const id = randomUUID();
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
         status, current_node, variables, answers, is_test, started_at, ended_at)
       values ($1, $2, $3, $4, 'Ann', $5, $6, $7, $8, 'n2', '{"email":"a@b.co"}', '{"email":"a@b.co"}', $9, $10,
         case when $8 in ('active', 'handoff') then null else $10::timestamptz + interval '1 minute' end)`,
      [
        id,
        options.workspaceId ?? api.workspaceId,
        options.numberId,
        options.contact ?? '+14155550100',
        options.flowId,
        options.versionId,
        `m-${id}`,
        options.status ?? 'completed',
        options.isTest ?? false,
        options.startedAt,
      ],
    );
    return id;
  }

  beforeAll(async () => {
    api = await startTestApi();
    admin = api.admin;
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    other = await api.otherWorkspace();
    numberA = (await admin.call('post', '/numbers', { phone: '+14155550101' })).body.id;
    numberB = (await admin.call('post', '/numbers', { phone: '+14155550102' })).body.id;
    ({ flowId: flowA, versionId: versionA } = await publishedFlow(admin, 'Flow A'));
    ({ flowId: flowB, versionId: versionB } = await publishedFlow(admin, 'Flow B'));
    // Twelve conversations, two pairs sharing a start time (the id breaks the tie), every status.
    const statuses = ['completed', 'active', 'handoff', 'failed', 'expired', 'abandoned'];
    for (let i = 0; i < 12; i += 1) {
      const minute = String(Math.min(i, 10)).padStart(2, '0');
      const startedAt = `2026-11-0${1 + (i % 3)}T10:${minute}:00.123456Z`;
      const id = await seed({
        numberId: i % 2 === 0 ? numberA : numberB,
        flowId: i % 4 < 2 ? flowA : flowB,
        versionId: i % 4 < 2 ? versionA : versionB,
        startedAt,
        status: statuses[i % statuses.length],
        contact: `+1415555020${i % 10}`,
      });
      seeded.push({ id, startedAt });
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  const newestFirst = () =>
    [...seeded]
      .sort((a, b) =>
        a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1,
      )
      .map((c) => c.id);

  it('lists conversations newest first and pages through them with a cursor', async () => {
    const all = await viewer.call('get', '/conversations');
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual(newestFirst());
    expect(all.body.items[0]).toMatchObject({
      numberId: expect.any(String),
      contact: expect.any(String),
      contactName: 'Ann',
      flowVersion: 1,
      currentNode: 'n2',
      isTest: false,
    });

    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page = await viewer.call('get', `/conversations?limit=5${query}`);
      expect(page.status).toBe(200);
      paged.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(paged).toEqual(newestFirst());
  });

  it('filters by number, flow, status and start time', async () => {
    const ids = async (query: string) =>
      (await viewer.call('get', `/conversations?${query}`)).body.items
        .map((c: { id: string }) => c.id)
        .sort();
    const expected = (keep: (index: number) => boolean) =>
      seeded
        .filter((_c, i) => keep(i))
        .map((c) => c.id)
        .sort();
    expect(await ids(`numberId=${numberA}`)).toEqual(expected((i) => i % 2 === 0));
    expect(await ids(`flowId=${flowB}`)).toEqual(expected((i) => i % 4 >= 2));
    expect(await ids('status=handoff')).toEqual(expected((i) => i % 6 === 2));
    expect(await ids(`numberId=${numberB}&flowId=${flowA}&status=active`)).toEqual(
      expected((i) => i % 2 === 1 && i % 4 < 2 && i % 6 === 1),
    );
    expect(await ids('from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z')).toEqual(
      expected((i) => i % 3 === 1),
    );
    expect(await ids('from=2026-11-03T00:00:00Z')).toEqual(expected((i) => i % 3 === 2));
  });

  it('leaves test conversations out unless asked, and other workspaces out always', async () => {
    const testId = await seed({
      numberId: numberA,
      flowId: flowA,
      versionId: versionA,
      startedAt: '2026-11-05T00:00:00Z',
      isTest: true,
    });
    const theirs = await other.call('post', '/numbers', { phone: '+14155550109' });
    const theirFlow = await other.call('post', '/flows', {
      name: 'Theirs',
      definition: intakeFlow('Theirs'),
    });
    await other.call('post', `/flows/${theirFlow.body.id}/publish`);
    const { rows } = await api.db.query<{ id: string; workspace_id: string }>(
      `select id, workspace_id from flow_versions where flow_id = $1`,
      [theirFlow.body.id],
    );
    const foreign = await seed({
      workspaceId: (rows[0] as { workspace_id: string }).workspace_id,
      numberId: theirs.body.id,
      flowId: theirFlow.body.id,
      versionId: (rows[0] as { id: string }).id,
      startedAt: '2026-11-06T00:00:00Z',
      status: 'handoff',
    });
    const listed = (await viewer.call('get', '/conversations')).body.items.map((c: { id: string }) => c.id);
    expect(listed).not.toContain(testId);
    expect(listed).not.toContain(foreign);
    const withTests = await viewer.call('get', '/conversations?includeTest=true');
    expect(withTests.body.items[0]).toMatchObject({ id: testId, isTest: true });
    expect(withTests.body.items.map((c: { id: string }) => c.id)).not.toContain(foreign);
    expect((await viewer.call('get', `/conversations/${foreign}`)).status).toBe(404);
    expect((await editor.call('post', `/conversations/${foreign}/release`)).status).toBe(404);
    expect((await other.call('get', `/conversations/${foreign}`)).status).toBe(200);
    expect((await other.call('get', '/conversations')).body.items.map((c: { id: string }) => c.id)).toEqual([
      foreign,
    ]);
    // The test conversation is readable directly.
    expect((await viewer.call('get', `/conversations/${testId}`)).body.isTest).toBe(true);
  });

  it('refuses bad filters and cursors', async () => {
    for (const query of [
      'status=sleeping',
      'numberId=nope',
      'from=yesterday',
      'limit=0',
      'limit=500',
      'cursor=abc',
      `cursor=${Buffer.from('["2026-11-01", 5]').toString('base64url')}`,
      'from=2026-11-03T00:00:00Z&to=2026-11-01T00:00:00Z',
    ]) {
      const reply = await viewer.call('get', `/conversations?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.error.code, query).toBe('invalid');
    }
    expect((await api.call('get', '/conversations')).status).toBe(401);
  });

  it('shows a conversation with its variables, answers and transcript', async () => {
    const id = seeded[0]?.id as string;
    const rows = [
      ['in', 'text', { text: 'hi', sentAt: 1 }, 'processed'],
      ['out', 'text', { kind: 'message', text: 'Hi Ann!' }, 'read'],
      ['out', 'text', { kind: 'prompt', text: 'What’s your email?' }, 'delivered'],
      ['in', 'text', { text: 'a@b.co', sentAt: 2 }, 'processed'],
      ['out', 'text', { kind: 'prompt', text: 'Pick a plan' }, 'failed'],
    ] as const;
    for (const [direction, type, body, status] of rows) {
      await api.db.query(
        `insert into messages (workspace_id, number_id, contact, conversation_id, direction, type, body, status, last_error)
         values ($1, $2, '+14155550200', $3, $4, $5, $6::jsonb, $7, $8)`,
        [
          api.workspaceId,
          numberA,
          id,
          direction,
          type,
          JSON.stringify(body),
          status,
          status === 'failed' ? 'not on WhatsApp' : null,
        ],
      );
    }
    const reply = await viewer.call('get', `/conversations/${id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id,
      numberId: numberA,
      flowId: flowA,
      flowName: 'Flow A',
      flowVersion: 1,
      status: 'completed',
      variables: { email: 'a@b.co' },
      answers: { email: 'a@b.co' },
      endReason: null,
      endedAt: expect.any(String),
      messageCount: 5,
      truncated: false,
    });
    expect(
      reply.body.messages.map((m: { direction: string; body: { text: string }; status: string }) => [
        m.direction,
        m.body.text,
        m.status,
      ]),
    ).toEqual([
      ['in', 'hi', 'processed'],
      ['out', 'Hi Ann!', 'read'],
      ['out', 'What’s your email?', 'delivered'],
      ['in', 'a@b.co', 'processed'],
      ['out', 'Pick a plan', 'failed'],
    ]);
    expect(reply.body.messages[4].error).toBe('not on WhatsApp');
    expect((await viewer.call('get', `/conversations/${randomUUID()}`)).status).toBe(404);
    expect((await viewer.call('get', '/conversations/123')).status).toBe(400);
  });

  it('names the step and the choices of a transcript as people read them', async () => {
    const id = await seed({
      numberId: numberA,
      flowId: flowA,
      versionId: versionA,
      startedAt: '2026-01-21T10:00:00.000Z',
      status: 'failed',
      contact: '+14155550260',
    });
    await api.db.query(
      `update conversations set current_node = 'n3', answers = '{"email":"a@b.co","plan":"pro"}',
         end_reason = 'no valid answer to n3 after 3 attempts' where id = $1`,
      [id],
    );
    const reply = await viewer.call('get', `/conversations/${id}`);
    expect(reply.body).toMatchObject({
      currentNode: 'n3',
      currentStep: 'Question “Pick a plan”',
      answers: { email: 'a@b.co', plan: 'pro' },
      answersByLabel: { email: 'a@b.co', plan: 'Pro' },
      endReason: 'no valid answer to Question “Pick a plan” after 3 attempts',
    });
  });

  it('says when a transcript is cut: the last 5,000 messages of how many', async () => {
    const id = await seed({
      numberId: numberA,
      flowId: flowA,
      versionId: versionA,
      startedAt: '2026-01-20T10:00:00.000Z',
      contact: '+14155550250',
    });
    await api.db.query(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, type, body, status)
       select $1, $2, '+14155550250', $3, 'in', 'text', jsonb_build_object('text', 'message ' || n), 'processed'
       from generate_series(1, 5003) as n`,
      [api.workspaceId, numberA, id],
    );
    const reply = await viewer.call('get', `/conversations/${id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ messageCount: 5003, truncated: true });
    const texts = reply.body.messages.map((m: { body: { text: string } }) => m.body.text);
    expect(texts).toHaveLength(5000);
    // The newest ones, oldest first: the first three are the ones left out.
    expect(texts[0]).toBe('message 4');
    expect(texts[4999]).toBe('message 5003');
  });

  it('queues the release of a hand-off for the runtime', async () => {
    const id = await seed({
      numberId: numberB,
      flowId: flowA,
      versionId: versionA,
      startedAt: '2026-11-07T00:00:00Z',
      status: 'handoff',
      contact: '+14155550300',
    });
    const woken: unknown[] = [];
    const stop = await api.bus.subscribe(busChannels.inbound.name, (message) => woken.push(message));
    expect((await viewer.call('post', `/conversations/${id}/release`)).status).toBe(403);
    const released = await editor.call('post', `/conversations/${id}/release`);
    expect(released.status).toBe(202);
    expect(released.body).toEqual({ id, releaseRequestedAt: expect.any(String) });
    expect(woken).toEqual([{ numberId: numberB, contact: '+14155550300' }]);
    // A second click before the runtime got to it queues nothing more.
    expect((await editor.call('post', `/conversations/${id}/release`)).status).toBe(202);
    const inbox = await api.db.query(
      `select direction, type, body, status, wa_message_id from messages where number_id = $1 and contact = '+14155550300'`,
      [numberB],
    );
    expect(inbox.rows).toEqual([
      {
        direction: 'in',
        type: 'control',
        body: { control: 'release' },
        status: 'received',
        wa_message_id: expect.stringMatching(/^release-/),
      },
    ]);
    await stop();

    const completed = seeded[0]?.id as string;
    const refused = await editor.call('post', `/conversations/${completed}/release`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/handed off/);
    // A hand-off the contact has since moved on from cannot be released.
    const older = await seed({
      numberId: numberA,
      flowId: flowA,
      versionId: versionA,
      startedAt: '2026-11-08T00:00:00Z',
      status: 'handoff',
      contact: '+14155550400',
    });
    await seed({
      numberId: numberA,
      flowId: flowA,
      versionId: versionA,
      startedAt: '2026-11-09T00:00:00Z',
      status: 'active',
      contact: '+14155550400',
    });
    expect((await editor.call('post', `/conversations/${older}/release`)).status).toBe(409);
  });
});
