import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';

/**
 * AI usage as the runtime records it (one `ai_usage` row per model call, inserted here as the
 * runtime writes them), the monthly token quota, and the AI notes a transcript shows between its
 * messages (`conversation_notes`, inserted the same way).
 */
let api: TestApi;
let viewer: Client;
let editor: Client;
let otherWorkspaceId: string;
let flowId: string;
let goneFlowId: string;

interface UsageRow {
  workspaceId?: string;
  flowId?: string | null;
  kind?: string;
  model?: string;
  input: number;
  output: number;
  cost?: number | null;
  error?: string | null;
  /** An SQL timestamp expression. */
  at: string;
}

async function record(row: UsageRow): Promise<void> {
  await api.db.query(
    `insert into ai_usage (workspace_id, flow_id, kind, model, input_tokens, output_tokens, cost_usd, error_code,
       latency_ms, node_id, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 800, 'ai1', ${row.at})`,
    [
      row.workspaceId ?? api.workspaceId,
      row.flowId === undefined ? flowId : row.flowId,
      row.kind ?? 'openai',
      row.model ?? 'gpt-4o-mini',
      row.input,
      row.output,
      row.cost === undefined ? null : row.cost,
      row.error ?? null,
    ],
  );
}

beforeAll(async () => {
  api = await startTestApi();
  viewer = await api.member('viewer');
  editor = await api.member('editor');
  const other = await api.otherWorkspace();
  otherWorkspaceId = (await other.call('get', '/me')).body.workspaceId;
  flowId = (await api.admin.call('post', '/flows', { name: 'Bookings', definition: intakeFlow('Bookings') }))
    .body.id;
  goneFlowId = (
    await api.admin.call('post', '/flows', { name: 'Old FAQ', definition: intakeFlow('Old FAQ') })
  ).body.id;

  // October 2026: two flows, two providers, a failure, a model without a price, the month's edges.
  await record({ input: 1000, output: 200, cost: 0.00027, at: `'2026-10-01T00:00:00Z'` });
  await record({ input: 3000, output: 500, cost: 0.00075, at: `'2026-10-01T23:59:59Z'` });
  await record({
    kind: 'anthropic',
    model: 'claude-haiku-4-5',
    input: 2000,
    output: 1000,
    cost: 0.007,
    at: `'2026-10-15T12:00:00Z'`,
  });
  await record({ input: 0, output: 0, error: 'rate_limited', at: `'2026-10-15T12:00:01Z'` });
  await record({
    flowId: goneFlowId,
    kind: 'openai_compatible',
    model: 'llama3.1',
    input: 500,
    output: 100,
    at: `'2026-10-31T23:59:59.999Z'`,
  });
  // Outside October, and another workspace's: never counted.
  await record({ input: 9_999, output: 9_999, cost: 1, at: `'2026-11-01T00:00:00Z'` });
  await record({ input: 9_999, output: 9_999, cost: 1, at: `'2026-09-30T23:59:59.999Z'` });
  await record({
    workspaceId: otherWorkspaceId,
    flowId: null,
    input: 7_777,
    output: 7_777,
    cost: 1,
    at: `'2026-10-10T00:00:00Z'`,
  });
  // A flow deleted for good: its calls stay, under no flow.
  await api.db.query('delete from flows where id = $1', [goneFlowId]);
});

afterAll(async () => {
  await api?.close();
});

describe('AI usage', () => {
  it('sums a month by flow, model and day, with the estimated cost and the calls it leaves out', async () => {
    const reply = await viewer.call('get', '/ai/usage?month=2026-10');
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const usage = reply.body;
    expect(usage).toMatchObject({
      month: '2026-10',
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      pricesAsOf: expect.stringMatching(/^\d{4}-\d{2}$/),
      totals: { calls: 5, failedCalls: 1, inputTokens: 6500, outputTokens: 1800, unpricedCalls: 1 },
    });
    expect(usage.totals.costUsd).toBeCloseTo(0.00802, 8);
    expect(usage.byFlow).toEqual([
      expect.objectContaining({
        flowId,
        flowName: 'Bookings',
        calls: 4,
        inputTokens: 6000,
        outputTokens: 1700,
      }),
      expect.objectContaining({ flowId: null, flowName: null, calls: 1, unpricedCalls: 1, costUsd: 0 }),
    ]);
    expect(usage.byModel.map((row: { kind: string; model: string; calls: number }) => row)).toEqual([
      expect.objectContaining({
        kind: 'openai',
        model: 'gpt-4o-mini',
        calls: 3,
        failedCalls: 1,
        inputTokens: 4000,
      }),
      expect.objectContaining({ kind: 'anthropic', model: 'claude-haiku-4-5', calls: 1, outputTokens: 1000 }),
      expect.objectContaining({ kind: 'openai_compatible', model: 'llama3.1', unpricedCalls: 1 }),
    ]);
    expect(usage.byDay.map((row: { day: string; calls: number }) => [row.day, row.calls])).toEqual([
      ['2026-10-01', 2],
      ['2026-10-15', 2],
      ['2026-10-31', 1],
    ]);
  });

  it('shows this UTC month by default, with the quota against it', async () => {
    await record({ input: 600, output: 200, cost: 0.0002, at: 'now()' });
    const reply = await viewer.call('get', '/ai/usage');
    expect(reply.status).toBe(200);
    const now = new Date();
    expect(reply.body.month).toBe(now.toISOString().slice(0, 7));
    expect(reply.body.totals).toMatchObject({ calls: 1, inputTokens: 600, outputTokens: 200 });
    expect(reply.body.quota).toMatchObject({
      monthlyTokens: null,
      usedTokens: 800,
      usedShare: null,
      state: 'none',
      resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
    });
    // A past month shows its own calls, and still the quota against this month.
    const october = await viewer.call('get', '/ai/usage?month=2026-10');
    expect(october.body.quota.usedTokens).toBe(800);
    // A month without calls: zeros, not an error.
    const empty = await viewer.call('get', '/ai/usage?month=2020-02');
    expect(empty.body).toMatchObject({
      totals: { calls: 0, inputTokens: 0, costUsd: 0, unpricedCalls: 0 },
      byFlow: [],
      byModel: [],
      byDay: [],
    });
  });

  it('refuses a month it cannot read, saying how to write one', async () => {
    for (const month of ['2026-13', '10-2026', '2026-1', 'last month', '2026-10-01']) {
      const reply = await viewer.call('get', `/ai/usage?month=${encodeURIComponent(month)}`);
      expect(reply.status, month).toBe(400);
      expect(reply.body.error.details, month).toEqual([
        { pointer: '/query/month', message: 'Must be a month written as year-month, e.g. 2026-12.' },
      ]);
    }
  });
});

describe('the monthly token quota', () => {
  it('warns at 80% and says AI blocks leave by Failure once it is reached', async () => {
    const used = (await viewer.call('get', '/ai/usage')).body.quota.usedTokens as number;
    expect(used).toBeGreaterThan(0);
    const set = await api.admin.call('put', '/ai/quota', { monthlyTokens: used * 10 });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ monthlyTokens: used * 10, usedTokens: used, state: 'ok' });
    expect(set.body.usedShare).toBeCloseTo(0.1, 6);

    const warning = await api.admin.call('put', '/ai/quota', { monthlyTokens: Math.ceil(used / 0.85) });
    expect(warning.body.state).toBe('warning');
    const reached = await api.admin.call('put', '/ai/quota', { monthlyTokens: used });
    expect(reached.body).toMatchObject({ state: 'reached', usedShare: 1 });
    const overrun = await api.admin.call('put', '/ai/quota', { monthlyTokens: Math.floor(used / 2) });
    expect(overrun.body.usedShare).toBeGreaterThan(1);
    // Everyone who reads usage sees it; the workspace row holds it.
    expect((await viewer.call('get', '/ai/usage')).body.quota.state).toBe('reached');
    const { rows } = await api.db.query(
      'select ai_monthly_token_quota::text as quota from workspaces where id = $1',
      [api.workspaceId],
    );
    expect(rows[0]?.quota).toBe(String(Math.floor(used / 2)));

    const cleared = await api.admin.call('put', '/ai/quota', { monthlyTokens: null });
    expect(cleared.body).toMatchObject({ monthlyTokens: null, usedShare: null, state: 'none' });
  });

  it('refuses a quota that is not a whole number of tokens, in words', async () => {
    for (const monthlyTokens of [0, -5, 1.5, 'a lot', 1e13]) {
      const reply = await api.admin.call('put', '/ai/quota', { monthlyTokens });
      expect(reply.status, String(monthlyTokens)).toBe(400);
      expect(reply.body.error.message.length).toBeGreaterThan(10);
      expect(JSON.stringify(reply.body.error.details)).toContain('/body/monthlyTokens');
    }
    expect((await api.admin.call('put', '/ai/quota', {})).status).toBe(400);
    expect((await viewer.call('get', '/ai/usage')).body.quota.monthlyTokens).toBeNull();
  });

  it('lets only admins set it, and audits each change with the value before and after', async () => {
    expect((await editor.call('put', '/ai/quota', { monthlyTokens: 1000 })).status).toBe(403);
    expect((await viewer.call('put', '/ai/quota', { monthlyTokens: 1000 })).status).toBe(403);
    await api.admin.call('put', '/ai/quota', { monthlyTokens: 250_000 });
    await api.admin.call('put', '/ai/quota', { monthlyTokens: null });
    const audit = await api.admin.call('get', '/audit?limit=50');
    const entries = audit.body.items.filter(
      (entry: { action: string }) => entry.action === 'workspace.ai_quota',
    );
    expect(entries[0]).toMatchObject({
      entityId: api.workspaceId,
      before: { monthlyTokens: 250_000 },
      after: { monthlyTokens: null },
    });
    expect(entries[1]).toMatchObject({ before: { monthlyTokens: null }, after: { monthlyTokens: 250_000 } });
  });
});

describe('AI notes in the transcript', () => {
  let numberId: string;
  let versionId: string;

  beforeAll(async () => {
    numberId = (await api.admin.call('post', '/numbers', { phone: '+14155550301' })).body.id;
    await api.admin.call('post', `/flows/${flowId}/publish`);
    const { rows } = await api.db.query<{ id: string }>(
      `select id from flow_versions where flow_id = $1 and status = 'published'`,
      [flowId],
    );
    versionId = (rows[0] as { id: string }).id;
  });

  async function conversation(workspaceId = api.workspaceId, number = numberId): Promise<string> {
    const id = randomUUID();
    await api.db.query(
      `insert into conversations (id, workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status, started_at)
       values ($1, $2, $3, '+14155550302', $4, $5, $6, 'active', now())`,
      [id, workspaceId, number, flowId, versionId, `engine-${id}`],
    );
    return id;
  }

  async function message(conversationId: string, direction: 'in' | 'out', text: string): Promise<number> {
    const { rows } = await api.db.query<{ id: string }>(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, type, body, status)
       values ($1, $2, '+14155550302', $3, $4, 'text', jsonb_build_object('text', $5::text), 'sent') returning id`,
      [api.workspaceId, numberId, conversationId, direction, text],
    );
    return Number((rows[0] as { id: string }).id);
  }

  async function note(
    conversationId: string,
    kind: string,
    text: string,
    afterMessageId: number | null,
    workspaceId = api.workspaceId,
  ): Promise<void> {
    await api.db.query(
      `insert into conversation_notes (workspace_id, conversation_id, node_id, kind, text, after_message_id)
       values ($1, $2, 'ai1', $3, $4, $5)`,
      [workspaceId, conversationId, kind, text, afterMessageId],
    );
  }

  it('returns the notes in the order they happened, each after the message it follows', async () => {
    const id = await conversation();
    await note(id, 'ai_retried', 'The model call was cut off by a restart; made again.', null);
    const question = await message(id, 'in', 'Can I book for Monday?');
    const answer = await message(id, 'out', 'Booked for Monday at 10.');
    // Written out of order: a later message's note first.
    await note(
      id,
      'ai_failed',
      'AI reply “Concierge” left by Failure: the monthly AI quota is used up.',
      answer,
    );
    await note(
      id,
      'ai_tool_call',
      'AI reply “Concierge” called book_slot with {"day":"2026-12-07","time":"10:00"}: 200 OK.',
      question,
    );
    await note(id, 'ai_refused', 'AI extract refused “date”: not a date.', question);

    const reply = await viewer.call('get', `/conversations/${id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.messages.map((m: { id: number }) => m.id)).toEqual([question, answer]);
    expect(
      reply.body.notes.map((n: { kind: string; afterMessageId: number | null }) => [
        n.kind,
        n.afterMessageId,
      ]),
    ).toEqual([
      ['ai_retried', null],
      ['ai_tool_call', question],
      ['ai_refused', question],
      ['ai_failed', answer],
    ]);
    expect(reply.body.notes[1]).toMatchObject({
      id: expect.any(Number),
      nodeId: 'ai1',
      text: expect.stringContaining('{"day":"2026-12-07","time":"10:00"}'),
      at: expect.any(String),
    });
  });

  it('keeps other conversations’ and other workspaces’ notes out', async () => {
    const id = await conversation();
    const mine = await message(id, 'in', 'hello');
    const neighbour = await conversation();
    await note(neighbour, 'ai_failed', 'Another conversation’s note.', null);
    const otherNumber = (
      await api.db.query<{ id: string }>(
        `insert into numbers (workspace_id, phone) values ($1, '+14155550303') returning id`,
        [otherWorkspaceId],
      )
    ).rows[0] as { id: string };
    const foreign = await conversation(otherWorkspaceId, otherNumber.id);
    await note(foreign, 'ai_failed', 'Another workspace’s note.', mine, otherWorkspaceId);
    await note(id, 'ai_tool_call', 'Mine.', mine);
    const reply = await viewer.call('get', `/conversations/${id}`);
    expect(reply.body.notes.map((n: { text: string }) => n.text)).toEqual(['Mine.']);
    // And the other workspace's conversation is not found from here.
    expect((await viewer.call('get', `/conversations/${foreign}`)).status).toBe(404);
  });

  it('leaves out the notes of the messages a cut transcript leaves out', async () => {
    const id = await conversation();
    const first = await message(id, 'in', 'the first message');
    await note(id, 'ai_failed', 'Before the cut.', first);
    await api.db.query(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, type, body, status)
       select $1, $2, '+14155550302', $3, 'in', 'text', jsonb_build_object('text', 'message ' || n), 'processed'
       from generate_series(1, 5000) as n`,
      [api.workspaceId, numberId, id],
    );
    const last = await message(id, 'out', 'the last message');
    await note(id, 'ai_tool_call', 'After the cut.', last);
    const reply = await viewer.call('get', `/conversations/${id}`);
    expect(reply.body).toMatchObject({ truncated: true, messageCount: 5002 });
    expect(reply.body.notes.map((n: { text: string }) => n.text)).toEqual(['After the cut.']);
  });
});
