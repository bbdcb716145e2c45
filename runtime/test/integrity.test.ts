import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { busChannels, connectBus } from '@parley/bus';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { internalAuth } from './support/internal-token.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import { freePort, killAllRuntimes, type RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { waitUntil } from './support/verify.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A message, a JSON call, a text call, then the end (or the failure end). */
const hostileFlow = (port: number) => ({
  schemaVersion: 1,
  name: 'Hostile CRM',
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    { id: 'n1', type: 'message', position: { x: 0, y: 0 }, config: { text: 'Checking...' } },
    {
      id: 'n2',
      type: 'http_request',
      position: { x: 0, y: 140 },
      config: { url: `http://127.0.0.1:${port}/json`, method: 'GET', timeoutMs: 30_000, saveAs: 'crm' },
    },
    {
      id: 'n3',
      type: 'http_request',
      position: { x: 0, y: 280 },
      config: { url: `http://127.0.0.1:${port}/text`, method: 'GET', timeoutMs: 30_000, saveAs: 'note' },
    },
    { id: 'n4', type: 'end', position: { x: 0, y: 420 }, config: { text: 'Done: {{crm.body.name}}.' } },
    { id: 'n5', type: 'end', position: { x: 0, y: 560 }, config: { text: 'CRM failed.' } },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'success', target: 'n3' },
    { id: 'e3', source: 'n2', sourceHandle: 'failure', target: 'n5' },
    { id: 'e4', source: 'n3', sourceHandle: 'success', target: 'n4' },
    { id: 'e5', source: 'n3', sourceHandle: 'failure', target: 'n5' },
  ],
});

/** A local endpoint; `answer` decides what each call gets (or leaves it hanging). */
async function endpoint(answer: (path: string, response: ServerResponse) => void) {
  const calls: { path: string; requestId: string }[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    calls.push({ path: request.url ?? '', requestId: String(request.headers['x-parley-request-id']) });
    request.resume();
    answer(request.url ?? '', response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    calls,
    port: typeof address === 'object' && address !== null ? address.port : 0,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('integrity: nothing stuck, nothing repeated, nothing lost', () => {
  let env: RuntimeEnv;
  let port: number;
  const start = (extra: Record<string, string> = {}) =>
    env.start({ port, env: { PARLEY_ALLOW_PRIVATE_HTTP: '1', ...extra } });
  const post = () => ({ deadline: Date.now() + 30_000, signal: env.stop.signal });

  beforeAll(async () => {
    env = await createRuntimeEnv();
  });
  beforeEach(async () => {
    port = await freePort();
  });
  afterEach(async () => {
    await killAllRuntimes();
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it('stores NUL and lone surrogates from contacts and HTTP answers as U+FFFD, calling once', async () => {
    const crm = await endpoint((path, response) => {
      if (path === '/json') {
        // Escapes a JSON parser turns into NUL and an unpaired surrogate, in keys and values.
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"name":"Ana\\u0000Lee","bad":"\\ud800","k\\u0000ey":["\\udfff"]}');
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from('note\u0000end', 'utf8'));
      }
    });
    try {
      const { numberId } = await seedPublishedFlow(env.database.db, hostileFlow(crm.port));
      const runtime = await start();
      const contacts = Array.from({ length: 8 }, (_, index) => `+1555700${index}`);
      // One hostile message among others posted at the same moment (recorded in one batch).
      const answers = await Promise.all(
        contacts.map((contact, index) =>
          fetch(`${runtime.base}/simulator/numbers/${numberId}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...internalAuth },
            body: JSON.stringify(
              index === 0
                ? { contact, id: `in-${index}`, text: 'hi\u0000there', contactName: 'Bob\ud800' }
                : { contact, id: `in-${index}`, text: 'hi' },
            ),
          }).then((response) => response.status),
        ),
      );
      expect(answers).toEqual(contacts.map(() => 202));
      for (const contact of contacts) {
        await waitUntil(
          `${contact} finished`,
          async () => botTexts((await fetchTranscript(runtime.base, numberId, contact)) ?? []).length >= 2,
          20_000,
        );
      }
      // Time for a wrong repeat of a call to show up.
      await sleep(1_000);

      const { rows: conversations } = await env.database.db.query<{
        contact: string;
        contact_name: string | null;
        status: string;
        variables: Record<string, unknown>;
      }>(
        'select contact, contact_name, status, variables from conversations where number_id = $1 order by contact',
        [numberId],
      );
      expect(conversations.map((row) => row.status)).toEqual(contacts.map(() => 'completed'));
      expect(conversations[0]?.contact_name).toBe('Bob\uFFFD');
      for (const row of conversations) {
        expect(row.variables).toEqual({
          crm: { status: 200, body: { name: 'Ana\uFFFDLee', bad: '\uFFFD', 'k\uFFFDey': ['\uFFFD'] } },
          note: { status: 200, body: 'note\uFFFDend' },
        });
      }
      const { rows: inbound } = await env.database.db.query<{ text: string; status: string }>(
        `select body->>'text' as text, status from messages
         where number_id = $1 and direction = 'in' order by contact`,
        [numberId],
      );
      expect(inbound).toEqual([
        { text: 'hi\uFFFDthere', status: 'processed' },
        ...contacts.slice(1).map(() => ({ text: 'hi', status: 'processed' })),
      ]);
      const transcript = (await fetchTranscript(runtime.base, numberId, contacts[0] as string)) ?? [];
      expect(botTexts(transcript)).toEqual(['Checking...', 'Done: Ana\uFFFDLee.']);
      // Each call exactly once: two per conversation, no request id twice.
      expect(crm.calls).toHaveLength(contacts.length * 2);
      expect(new Set(crm.calls.map((call) => call.requestId)).size).toBe(contacts.length * 2);
      expect((await env.database.db.query('select 1 from pending_effects')).rows).toHaveLength(0);
      expect(await runtime.metric('parley_errors_total', 'kind="processing"')).toBe(0);
    } finally {
      await crm.close();
    }
  }, 60_000);

  it('observes the step latency of turns recorded by another process (the API)', async () => {
    const crm = await endpoint((_, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"x"}'),
    );
    const bus = await connectBus({ redisUrl: env.redis.url, prefix: env.redis.prefix, db: env.database.db });
    try {
      const { numberId, workspaceId } = await seedPublishedFlow(env.database.db, hostileFlow(crm.port));
      const runtime = await start();
      const before = await runtime.metric('parley_step_latency_seconds_count');
      await postMessage(runtime.base, numberId, '+15557100', { id: 'own-1', text: 'hi' }, post());
      // What the API's simulator does: record the message itself, then tell the runtimes.
      await env.database.db.query(
        `insert into messages (workspace_id, number_id, contact, direction, wa_message_id, type, body, status)
         values ($1, $2, '+15557101', 'in', 'api-1', 'text', '{"text":"hi"}'::jsonb, 'received')`,
        [workspaceId, numberId],
      );
      await bus.bus.publish(busChannels.inbound.name, { numberId, contact: '+15557101' });
      await waitUntil(
        'both turns measured',
        async () => (await runtime.metric('parley_step_latency_seconds_count')) >= before + 2,
        20_000,
      );
    } finally {
      await bus.close();
      await crm.close();
    }
  }, 60_000);

  it('calls an endpoint whose calls keep dying at most 3 times, then follows failure with the reason', async () => {
    // Every call hangs, and the runtime making it is SIGKILLed: the call never gets an answer.
    const crm = await endpoint(() => undefined);
    try {
      const { numberId } = await seedPublishedFlow(env.database.db, hostileFlow(crm.port));
      const contact = '+15557200';
      const staleFast = { PARLEY_STALE_EFFECT_MS: '1000' };
      let runtime: RuntimeProcess = await start(staleFast);
      await postMessage(runtime.base, numberId, contact, { id: 'hang-1', text: 'hi' }, post());
      for (let call = 1; call <= 3; call += 1) {
        await waitUntil(`call ${call} arrived`, async () => crm.calls.length >= call, 20_000);
        await runtime.kill('SIGKILL');
        runtime = await start(staleFast);
      }
      const survivor = runtime;
      await waitUntil(
        'the flow followed its failure path',
        async () => botTexts((await fetchTranscript(survivor.base, numberId, contact)) ?? []).length >= 2,
        20_000,
      ).catch((error) => {
        throw new Error(`${(error as Error).message}\n${survivor.logTail()}`);
      });
      await sleep(1_500);
      expect(crm.calls).toHaveLength(3);
      expect(new Set(crm.calls.map((call) => call.requestId)).size).toBe(1);
      expect(botTexts((await fetchTranscript(survivor.base, numberId, contact)) ?? [])).toEqual([
        'Checking...',
        'CRM failed.',
      ]);
      const { rows } = await env.database.db.query<{ status: string; variables: { crm: unknown } }>(
        'select status, variables from conversations where number_id = $1',
        [numberId],
      );
      expect(rows).toEqual([
        {
          status: 'completed',
          variables: {
            crm: {
              status: 0,
              error: expect.stringContaining('The request was tried 3 times'),
            },
          },
        },
      ]);
      expect((await env.database.db.query('select 1 from pending_effects')).rows).toHaveLength(0);
    } finally {
      await crm.close();
    }
  }, 120_000);
});
