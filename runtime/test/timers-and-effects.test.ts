import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import { freePort, killAllRuntimes } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { waitUntil } from './support/verify.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Fractional minutes are allowed by the schema: reminder after 4.8 s, expiry after 9.6 s.
const reminderFlow = {
  schemaVersion: 1,
  name: 'Reminder',
  settings: {
    sessionTimeoutMinutes: 0.16,
    reminder: { afterMinutes: 0.08, text: 'Still there?' },
    expiredText: 'Chat closed.',
  },
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 0 },
      config: { prompt: 'Your name?', variable: 'name', answer: { type: 'string' } },
    },
    { id: 'n2', type: 'end', position: { x: 0, y: 140 }, config: { text: 'Thanks.' } },
  ],
  edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
};

const delayFlow = {
  schemaVersion: 1,
  name: 'Pause',
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    { id: 'n1', type: 'message', position: { x: 0, y: 0 }, config: { text: 'Processing...' } },
    { id: 'n2', type: 'delay', position: { x: 0, y: 140 }, config: { seconds: 4 } },
    { id: 'n3', type: 'message', position: { x: 0, y: 280 }, config: { text: 'Done after the pause.' } },
    {
      id: 'n4',
      type: 'question',
      position: { x: 0, y: 420 },
      config: {
        prompt: 'Rate us 1-5?',
        variable: 'rating',
        answer: { type: 'integer', minimum: 1, maximum: 5 },
      },
    },
    { id: 'n5', type: 'end', position: { x: 0, y: 560 }, config: { text: 'Thanks for {{rating}}.' } },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
    { id: 'e4', source: 'n4', sourceHandle: 'next', target: 'n5' },
  ],
};

const httpFlow = (port: number) => ({
  schemaVersion: 1,
  name: 'CRM',
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    { id: 'n1', type: 'message', position: { x: 0, y: 0 }, config: { text: 'Checking...' } },
    {
      id: 'n2',
      type: 'http_request',
      position: { x: 0, y: 140 },
      config: {
        url: `http://127.0.0.1:${port}/crm`,
        method: 'POST',
        body: '{"contact":"{{contact.phone}}"}',
        timeoutMs: 30_000,
        saveAs: 'crm',
      },
    },
    {
      id: 'n3',
      type: 'end',
      position: { x: 0, y: 280 },
      config: { text: 'CRM ok (call {{crm.body.call}}).' },
    },
    { id: 'n4', type: 'end', position: { x: 0, y: 420 }, config: { text: 'CRM failed.' } },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'success', target: 'n3' },
    { id: 'e3', source: 'n2', sourceHandle: 'failure', target: 'n4' },
  ],
});

describe('timers and effects survive a restart', () => {
  let env: RuntimeEnv;
  /** The port of the test's runtimes (a restart reuses it); each test picks its own. */
  let port: number;

  const start = (extra: Record<string, string> = {}) =>
    env.start({ port, env: { PARLEY_ALLOW_PRIVATE_HTTP: '1', ...extra } });

  async function waitForBot(base: string, numberId: string, contact: string, texts: string[]) {
    let seen: string[] = [];
    await waitUntil(
      `${contact} got ${JSON.stringify(texts)} (has ${JSON.stringify(seen)})`,
      async () => {
        const rows = await fetchTranscript(base, numberId, contact);
        if (rows === null) return false;
        seen = botTexts(rows);
        if (!texts.every((text, index) => seen[index] === undefined || seen[index] === text)) {
          throw new Error(`${contact}: bot said ${JSON.stringify(seen)}, expected ${JSON.stringify(texts)}`);
        }
        return rows.filter((row) => row.direction === 'out' && row.status === 'sent').length >= texts.length;
      },
      20_000,
    );
    return seen;
  }

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

  it('fires a reminder, an expiry and a delay set before a graceful restart', async () => {
    const reminder = await seedPublishedFlow(env.database.db, reminderFlow);
    const delay = await seedPublishedFlow(env.database.db, delayFlow);
    const first = await start();
    const post = { deadline: Date.now() + 30_000, signal: env.stop.signal };
    await postMessage(first.base, reminder.numberId, '+15550001', { id: 'r-1', text: 'hi' }, post);
    await postMessage(first.base, delay.numberId, '+15550002', { id: 'd-1', text: 'hi' }, post);
    await waitForBot(first.base, reminder.numberId, '+15550001', ['Your name?']);
    await waitForBot(first.base, delay.numberId, '+15550002', ['Processing...']);

    expect(await first.kill('SIGTERM')).toEqual({ code: 0, signal: null });

    // The runtime went away before any timer fired: both are stored, still ahead.
    const { rows: timers } = await env.database.db.query<{ due_in_ms: number }>(
      `select extract(epoch from due_at - now()) * 1000 as due_in_ms from timers
       where number_id in ($1, $2) order by due_at`,
      [reminder.numberId, delay.numberId],
    );
    expect(timers).toHaveLength(2);
    for (const timer of timers) expect(Number(timer.due_in_ms)).toBeGreaterThan(0);
    const { rows: early } = await env.database.db.query(
      `select 1 from messages where number_id in ($1, $2) and direction = 'out'`,
      [reminder.numberId, delay.numberId],
    );
    expect(early).toHaveLength(2);

    const second = await start();
    await waitForBot(second.base, delay.numberId, '+15550002', [
      'Processing...',
      'Done after the pause.',
      'Rate us 1-5?',
    ]);
    await waitForBot(second.base, reminder.numberId, '+15550001', ['Your name?', 'Still there?']);
    await waitForBot(second.base, reminder.numberId, '+15550001', [
      'Your name?',
      'Still there?',
      'Chat closed.',
    ]);

    // Each timer fired when due (counted from the prompt), not early and only once.
    // (The contact's message was stored before the step that started the clock.)
    const { rows: sent } = await env.database.db.query<{ text: string; direction: string; after_ms: number }>(
      `select body->>'text' as text, direction,
              extract(epoch from created_at - min(created_at) over (partition by number_id)) * 1000 as after_ms
       from messages where number_id in ($1, $2) order by id`,
      [reminder.numberId, delay.numberId],
    );
    const at = Object.fromEntries(
      sent.filter((row) => row.direction === 'out').map((row) => [row.text, Number(row.after_ms)]),
    );
    expect(at['Done after the pause.']).toBeGreaterThanOrEqual(4_000);
    expect(at['Still there?']).toBeGreaterThanOrEqual(4_800);
    expect(at['Chat closed.']).toBeGreaterThanOrEqual(9_600);
    const { rows: conversations } = await env.database.db.query<{ contact: string; status: string }>(
      `select contact, status from conversations where number_id in ($1, $2) order by contact`,
      [reminder.numberId, delay.numberId],
    );
    expect(conversations).toEqual([
      { contact: '+15550001', status: 'expired' },
      { contact: '+15550002', status: 'active' },
    ]);
    await postMessage(second.base, delay.numberId, '+15550002', { id: 'd-2', text: '5' }, post);
    await waitForBot(second.base, delay.numberId, '+15550002', [
      'Processing...',
      'Done after the pause.',
      'Rate us 1-5?',
      'Thanks for 5.',
    ]);
  }, 60_000);

  it('re-runs an http_request cut off by a SIGKILL, with the same request id', async () => {
    const calls: { requestId: string | undefined; body: string }[] = [];
    const held: ServerResponse[] = [];
    const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        calls.push({ requestId: request.headers['x-parley-request-id'] as string | undefined, body });
        // The first call never gets an answer.
        if (calls.length === 1) held.push(response);
        else
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ call: calls.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const crmPort = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const { numberId } = await seedPublishedFlow(env.database.db, httpFlow(crmPort));
      const first = await start();
      const contact = '+15550003';
      await postMessage(
        first.base,
        numberId,
        contact,
        { id: 'h-1', text: 'hi' },
        {
          deadline: Date.now() + 30_000,
          signal: env.stop.signal,
        },
      );
      await waitUntil('the CRM got the first call', async () => calls.length === 1, 10_000);
      const { rows: pending } = await env.database.db.query('select request_id from pending_effects');
      expect(pending).toHaveLength(1);
      await first.kill('SIGKILL');

      // A runtime that treats unanswered calls older than a second as cut off.
      const second = await start({ PARLEY_STALE_EFFECT_MS: '1000' });
      await waitUntil('the CRM got the call again', async () => calls.length >= 2, 15_000).catch((error) => {
        throw new Error(`${(error as Error).message}\n${second.logTail()}`);
      });
      expect(await waitForBot(second.base, numberId, contact, ['Checking...', 'CRM ok (call 2).'])).toEqual([
        'Checking...',
        'CRM ok (call 2).',
      ]);
      await sleep(1_000);
      // Every call is the same request (at least once: a receiver dedupes on the id).
      expect(calls[0]?.requestId).toMatch(/.+:1$/);
      expect(new Set(calls.map((call) => call.requestId))).toEqual(new Set([calls[0]?.requestId]));
      expect(new Set(calls.map((call) => call.body))).toEqual(new Set([JSON.stringify({ contact })]));
      const { rows } = await env.database.db.query<{ status: string; variables: { crm: unknown } }>(
        'select status, variables from conversations where number_id = $1',
        [numberId],
      );
      expect(rows).toEqual([{ status: 'completed', variables: { crm: { status: 200, body: { call: 2 } } } }]);
      expect((await env.database.db.query('select 1 from pending_effects')).rows).toHaveLength(0);
      const transcript = (await fetchTranscript(second.base, numberId, contact)) ?? [];
      expect(botTexts(transcript)).toEqual(['Checking...', 'CRM ok (call 2).']);
      console.info(`http effect: ${calls.length} calls, request id ${calls[0]?.requestId}`);
    } finally {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
