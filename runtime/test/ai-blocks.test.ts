import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Queryable } from '@parley/db';
import { TEST_SECRET_KEY } from '@parley/db/testing';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin.js';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { AI_MODEL, bookingFlow, seedAiCredential } from './support/ai-seed.js';
import { postMessage } from './support/conversation-driver.js';
import { INTERNAL_TOKEN, internalAuth } from './support/internal-token.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import { waitUntil } from './support/verify.js';

/** A web service an AI reply calls as its tool: it answers free slots and keeps what it got. */
async function startToolService() {
  const calls: { headers: IncomingHttpHeaders; body: unknown }[] = [];
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    request.on('end', () => {
      calls.push({ headers: request.headers, body: raw === '' ? null : JSON.parse(raw) });
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ slots: ['10:00'] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slots`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A runtime in this process whose logs at warn and above are kept. */
async function startRuntime(
  database: { url: string },
  redis: { url: string; prefix: string },
  allowPrivateHttp: boolean,
) {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const service = await RuntimeService.start(
    {
      ...runtimeConfigFromEnv({}),
      port: 0,
      host: '127.0.0.1',
      tokens: { internal: INTERNAL_TOKEN },
      databaseUrl: database.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      secretKey: TEST_SECRET_KEY,
      allowPrivateHttp,
      timerPollMs: 100,
      maintenanceMs: 200,
    },
    // The provider stand-in is on this machine: reached directly, while tools keep the guard.
    { logger: pino({ level: 'warn' }, sink), providerFetch: globalThis.fetch },
  );
  return { service, logs, base: `http://127.0.0.1:${service.port}` };
}

type Runtime = Awaited<ReturnType<typeof startRuntime>>;

/** Lines of a contact's transcript with the notes among them, as the admin reads it. */
async function transcript(db: Queryable, numberId: string, contact: string) {
  const { rows } = await db.query<{ line: string }>(
    `select line from (
       select id as at, 0 as rank, direction || ': ' || coalesce(body->>'text', '') as line
       from messages where number_id = $1 and contact = $2
       union all
       select coalesce(n.after_message_id, 0), 1, 'note ' || n.kind || ': ' || n.text
       from conversation_notes n join conversations c on c.id = n.conversation_id
       where c.number_id = $1 and c.contact = $2
     ) t order by at, rank`,
    [numberId, contact],
  );
  return rows.map((row) => row.line);
}

/** A metric's value summed over the series whose labels include `labels`. */
async function metric(base: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { headers: internalAuth })).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(labels)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('AI blocks in the runtime', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let standin: AiStandin;
  let tool: Awaited<ReturnType<typeof startToolService>>;
  let runtime: Runtime | null = null;
  const post = () => ({ deadline: Date.now() + 20_000 });

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    standin = await startAiStandin();
    tool = await startToolService();
  });

  afterEach(async () => {
    await runtime?.service.stop();
    runtime = null;
  });

  afterAll(async () => {
    await tool?.close();
    await standin?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  async function seed() {
    const credentialId = randomUUID();
    const seeded = await seedPublishedFlow(database.db, bookingFlow(tool.url, credentialId));
    await seedAiCredential(database.db, seeded.workspaceId, standin, credentialId);
    return { ...seeded, credentialId };
  }

  it('calls a tool, saves a variable and finishes; usage, metrics and notes are recorded', async () => {
    runtime = await startRuntime(database, redis, true);
    const { numberId, workspaceId, flowId, credentialId } = await seed();
    const contact = '+15550008001';
    standin.requests.length = 0;
    tool.calls.length = 0;
    standin.script(
      {
        reply: {
          toolCalls: [{ name: 'check_slots', arguments: { day: 'Monday' } }],
          usage: { input: 100, output: 10 },
        },
      },
      {
        reply: {
          toolCalls: [{ name: 'save_variables', arguments: { day: 'Monday' } }],
          usage: { input: 120, output: 12 },
        },
      },
      {
        reply: {
          text: 'Monday at 10:00 is yours.',
          toolCalls: [{ name: 'finish', arguments: {} }],
          usage: { input: 140, output: 14 },
        },
      },
    );
    await postMessage(runtime.base, numberId, contact, { id: 'a-1', text: 'Can I come on Monday?' }, post());
    await waitUntil(
      'the conversation ended',
      async () => (await transcript(database.db, numberId, contact)).includes('out: Booked for Monday.'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${JSON.stringify(runtime?.logs)}`);
    });

    // The tool got the model's arguments, the block's header and a request id of its own.
    expect(tool.calls).toHaveLength(1);
    expect(tool.calls[0]?.body).toEqual({ day: 'Monday' });
    expect(tool.calls[0]?.headers['x-api-key']).toBe('tool-secret');
    expect(tool.calls[0]?.headers['x-parley-request-id']).toMatch(/:1:tool-1$/);
    const { rows: conversations } = await database.db.query<{
      id: string;
      status: string;
      variables: unknown;
    }>('select id, status, variables from conversations where number_id = $1', [numberId]);
    expect(conversations).toMatchObject([{ status: 'completed', variables: { day: 'Monday' } }]);

    const { rows: usage } = await database.db.query(
      `select workspace_id, credential_id, flow_id, conversation_id, node_id, kind, model, input_tokens, output_tokens,
         cost_usd is not null as priced, error_code, latency_ms >= 0 as timed
       from ai_usage order by id`,
    );
    const row = {
      workspace_id: workspaceId,
      credential_id: credentialId,
      flow_id: flowId,
      conversation_id: conversations[0]?.id,
      node_id: 'agent',
      kind: 'openai',
      model: AI_MODEL,
      priced: true,
      error_code: null,
      timed: true,
    };
    expect(usage).toEqual([
      { ...row, input_tokens: 100, output_tokens: 10 },
      { ...row, input_tokens: 120, output_tokens: 12 },
      { ...row, input_tokens: 140, output_tokens: 14 },
    ]);

    const labels = `provider="openai",model="${AI_MODEL}"`;
    expect(await metric(runtime.base, 'parley_ai_calls_total', 'outcome="ok"')).toBe(3);
    expect(await metric(runtime.base, 'parley_ai_tokens_total', 'direction="input"')).toBe(360);
    expect(await metric(runtime.base, 'parley_ai_tokens_total', 'direction="output"')).toBe(36);
    expect(await metric(runtime.base, 'parley_ai_call_seconds_count', labels)).toBe(3);

    const lines = await transcript(database.db, numberId, contact);
    expect(lines[0]).toBe('in: Can I come on Monday?');
    expect(lines.at(-2)).toBe('out: Monday at 10:00 is yours.');
    expect(lines.at(-1)).toBe('out: Booked for Monday.');
    const notes = lines.slice(1, -2);
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((line) => line.startsWith('note ai_tool_call: '))).toBe(true);
    expect(notes[0]).toContain('“check_slots”');
    expect(notes[0]).toContain('answered 200');
    expect((await database.db.query('select 1 from pending_effects')).rows).toHaveLength(0);
  }, 60_000);

  it('leaves by failure with the reason once the monthly token quota is used', async () => {
    runtime = await startRuntime(database, redis, true);
    const { numberId, workspaceId } = await seed();
    await database.db.query('update workspaces set ai_monthly_token_quota = 200000 where id = $1', [
      workspaceId,
    ]);
    await database.db.query(
      `insert into ai_usage (workspace_id, kind, model, input_tokens, output_tokens)
       values ($1, 'openai', $2, 150000, 50000)`,
      [workspaceId, AI_MODEL],
    );
    standin.requests.length = 0;
    const contact = '+15550008002';
    await postMessage(runtime.base, numberId, contact, { id: 'q-1', text: 'hello' }, post());
    await waitUntil(
      'the block failed',
      async () => (await transcript(database.db, numberId, contact)).includes('out: AI failed.'),
      20_000,
    );
    const month = new Date().toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
    const lines = await transcript(database.db, numberId, contact);
    expect(lines).toEqual([
      'in: hello',
      expect.stringContaining(
        `This workspace has used its 200,000 AI tokens for ${month}. An admin can raise the monthly limit on the AI providers page.`,
      ),
      'out: AI failed.',
    ]);
    expect(standin.requests).toHaveLength(0);
  }, 60_000);

  it('refuses a provider of another workspace, telling the admin to pick one', async () => {
    runtime = await startRuntime(database, redis, true);
    const other = await seed();
    const flow = bookingFlow(tool.url, other.credentialId);
    const { numberId } = await seedPublishedFlow(database.db, flow);
    standin.requests.length = 0;
    const contact = '+15550008003';
    await postMessage(runtime.base, numberId, contact, { id: 'c-1', text: 'hello' }, post());
    await waitUntil(
      'the block failed',
      async () => (await transcript(database.db, numberId, contact)).includes('out: AI failed.'),
      20_000,
    );
    const lines = await transcript(database.db, numberId, contact);
    expect(lines[1]).toContain('not in this workspace');
    expect(lines[1]).toContain('pick a provider');
    expect(standin.requests).toHaveLength(0);
  }, 60_000);

  it('refuses a tool call to a private address when private addresses are not allowed', async () => {
    runtime = await startRuntime(database, redis, false);
    const { numberId } = await seed();
    tool.calls.length = 0;
    standin.script(
      { reply: { toolCalls: [{ name: 'check_slots', arguments: { day: 'Monday' } }] } },
      {
        reply: { text: 'I cannot check the calendar now.', toolCalls: [{ name: 'handoff', arguments: {} }] },
      },
    );
    const contact = '+15550008004';
    await postMessage(runtime.base, numberId, contact, { id: 'p-1', text: 'Monday?' }, post());
    await waitUntil(
      'the block handed off',
      async () => (await transcript(database.db, numberId, contact)).includes('out: A person will help.'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${JSON.stringify(runtime?.logs)}`);
    });
    expect(tool.calls).toHaveLength(0);
    const lines = await transcript(database.db, numberId, contact);
    expect(lines.filter((line) => line.startsWith('note ai_tool_call'))).toEqual([
      expect.stringContaining('“check_slots”'),
      expect.stringContaining('“handoff”'),
    ]);
    const warned = runtime.logs.find((log) => log.msg === 'AI tool call got no answer');
    expect(warned).toMatchObject({ nodeId: 'agent', numberId });
    expect(String(warned?.error)).toContain('private network addresses');
  }, 60_000);

  it('gives a block whose memory is the conversation the earlier messages, in order', async () => {
    runtime = await startRuntime(database, redis, true);
    const credentialId = randomUUID();
    const booking = bookingFlow(tool.url, credentialId);
    const [agent, ...ends] = booking.nodes;
    // A question first, then the AI reply, which reads the conversation so far.
    const flow = {
      ...booking,
      triggers: [{ id: 't1', type: 'any_message', target: 'name' }],
      nodes: [
        {
          id: 'name',
          type: 'question',
          position: { x: 0, y: -140 },
          config: { prompt: 'Your name?', variable: 'name', answer: { type: 'string' } },
        },
        { ...agent, config: { ...agent?.config, memory: 'conversation' } },
        ...ends,
      ],
      edges: [...booking.edges, { id: 'e4', source: 'name', sourceHandle: 'next', target: 'agent' }],
    };
    const { numberId, workspaceId } = await seedPublishedFlow(database.db, flow);
    await seedAiCredential(database.db, workspaceId, standin, credentialId);
    standin.requests.length = 0;
    standin.script({ reply: { text: 'Hello Ana, which day?' } });
    const contact = '+15550008005';
    await postMessage(runtime.base, numberId, contact, { id: 'm-1', text: 'hi' }, post());
    await waitUntil(
      'the name was asked',
      async () => (await transcript(database.db, numberId, contact)).includes('out: Your name?'),
      20_000,
    );
    await postMessage(runtime.base, numberId, contact, { id: 'm-2', text: 'Ana' }, post());
    await waitUntil(
      'the model answered',
      async () => (await transcript(database.db, numberId, contact)).includes('out: Hello Ana, which day?'),
      20_000,
    );
    const messages = (standin.requests[0]?.body.messages ?? []) as { role: string; content: unknown }[];
    expect(messages.filter((message) => message.role !== 'system')).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Your name?' },
      { role: 'user', content: 'Ana' },
    ]);
    // The next call reads the conversation only up to where the block began: its own turns
    // come from its memory, once.
    standin.script({ reply: { text: 'Monday at 10 then.' } });
    await postMessage(runtime.base, numberId, contact, { id: 'm-3', text: 'Monday' }, post());
    await waitUntil(
      'the model answered again',
      async () => (await transcript(database.db, numberId, contact)).includes('out: Monday at 10 then.'),
      20_000,
    );
    const again = (standin.requests[1]?.body.messages ?? []) as { role: string; content: unknown }[];
    expect(again.filter((message) => message.role !== 'system')).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Your name?' },
      { role: 'user', content: 'Ana' },
      { role: 'assistant', content: 'Hello Ana, which day?' },
      { role: 'user', content: 'Monday' },
    ]);
  }, 60_000);

  it('stores only the extracted values that meet their field, and logs the refused one', async () => {
    runtime = await startRuntime(database, redis, true);
    const credentialId = randomUUID();
    const flow = {
      schemaVersion: 1,
      name: 'Sign-up',
      triggers: [{ id: 't1', type: 'any_message', target: 'read' }],
      nodes: [
        {
          id: 'read',
          type: 'ai_extract',
          position: { x: 0, y: 0 },
          config: {
            credentialId,
            model: AI_MODEL,
            fields: [
              { name: 'name', description: 'The contact’s first name', type: 'text', required: true },
              { name: 'email', description: 'Their email address', type: 'email' },
            ],
          },
        },
        { id: 'ok', type: 'end', position: { x: 0, y: 140 }, config: { text: 'Thanks {{name}}.' } },
        { id: 'no', type: 'end', position: { x: 200, y: 140 }, config: { text: 'Not understood.' } },
      ],
      edges: [
        { id: 'e1', source: 'read', sourceHandle: 'next', target: 'ok' },
        { id: 'e2', source: 'read', sourceHandle: 'invalid', target: 'no' },
      ],
    };
    const { numberId, workspaceId } = await seedPublishedFlow(database.db, flow);
    await seedAiCredential(database.db, workspaceId, standin, credentialId);
    standin.script({ reply: { json: { name: 'Ana', email: 'ana at example' } } });
    const contact = '+15550008006';
    await postMessage(
      runtime.base,
      numberId,
      contact,
      { id: 'x-1', text: 'I am Ana, ana at example' },
      post(),
    );
    await waitUntil(
      'the flow went on',
      async () => (await transcript(database.db, numberId, contact)).includes('out: Thanks Ana.'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${JSON.stringify(runtime?.logs)}`);
    });
    const { rows } = await database.db.query<{ variables: Record<string, unknown> }>(
      'select variables from conversations where number_id = $1',
      [numberId],
    );
    expect(rows[0]?.variables).toEqual({ name: 'Ana' });
    const lines = await transcript(database.db, numberId, contact);
    expect(lines.filter((line) => line.startsWith('note '))).toEqual([
      expect.stringMatching(/^note ai_refused: .*“email”.*ana at example/),
    ]);
    const warned = runtime.logs.find((log) => log.msg === 'AI extraction value refused');
    expect(warned).toMatchObject({ field: 'email', nodeId: 'read', numberId });
  }, 60_000);
});
