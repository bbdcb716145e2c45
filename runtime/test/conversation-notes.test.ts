import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { postMessage } from './support/conversation-driver.js';
import { INTERNAL_TOKEN } from './support/internal-token.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import { waitUntil } from './support/verify.js';

/** A request that is refused (a private address), its failure path, then a question answered wrongly. */
const flow = {
  schemaVersion: 1,
  name: 'Notes',
  triggers: [{ id: 't1', type: 'any_message', target: 'hello' }],
  nodes: [
    { id: 'hello', type: 'message', position: { x: 0, y: 0 }, config: { text: 'Checking...' } },
    {
      id: 'crm',
      type: 'http_request',
      position: { x: 0, y: 140 },
      config: { url: 'http://10.0.0.5/crm', method: 'GET', timeoutMs: 5_000, saveAs: 'crm' },
    },
    { id: 'sorry', type: 'message', position: { x: 0, y: 280 }, config: { text: 'Sorry, no luck.' } },
    {
      id: 'age',
      type: 'question',
      position: { x: 0, y: 420 },
      config: { prompt: 'Your age?', variable: 'age', answer: { type: 'integer', minimum: 1, maximum: 120 } },
    },
    { id: 'bye', type: 'end', position: { x: 0, y: 560 }, config: { text: 'Thanks.' } },
  ],
  edges: [
    { id: 'e1', source: 'hello', sourceHandle: 'next', target: 'crm' },
    { id: 'e2', source: 'crm', sourceHandle: 'failure', target: 'sorry' },
    { id: 'e3', source: 'crm', sourceHandle: 'success', target: 'sorry' },
    { id: 'e4', source: 'sorry', sourceHandle: 'next', target: 'age' },
    { id: 'e5', source: 'age', sourceHandle: 'next', target: 'bye' },
  ],
};

describe('turn notes are kept with the transcript', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let service: RuntimeService;

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    service = await RuntimeService.start({
      ...runtimeConfigFromEnv({}),
      port: 0,
      host: '127.0.0.1',
      tokens: { internal: INTERNAL_TOKEN },
      databaseUrl: database.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      allowPrivateHttp: false,
      timerPollMs: 100,
      maintenanceMs: 200,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await redis?.cleanup();
    await database?.drop();
  });

  it('writes each note after the message it follows, in order', async () => {
    const { numberId, workspaceId } = await seedPublishedFlow(database.db, flow);
    const base = `http://127.0.0.1:${service.port}`;
    const contact = '+15550007001';
    const post = { deadline: Date.now() + 20_000 };
    const lines = async () =>
      (
        await database.db.query<{ line: string }>(
          `select line from (
             select id as at, 0 as rank, direction || ': ' || coalesce(body->>'text', '') as line
             from messages where number_id = $1 and contact = $2
             union all
             select coalesce(n.after_message_id, 0), 1, 'note ' || n.kind || ' @' || n.node_id
             from conversation_notes n join conversations c on c.id = n.conversation_id
             where c.number_id = $1 and c.contact = $2
           ) t order by at, rank`,
          [numberId, contact],
        )
      ).rows.map((row) => row.line);

    await postMessage(base, numberId, contact, { id: 'n-1', text: 'hi' }, post);
    await waitUntil('the question was asked', async () => (await lines()).includes('out: Your age?'), 15_000);
    await postMessage(base, numberId, contact, { id: 'n-2', text: 'old enough' }, post);
    await waitUntil(
      'the refused answer was noted',
      async () => (await lines()).some((line) => line.startsWith('note answer_refused')),
      15_000,
    );
    await postMessage(base, numberId, contact, { id: 'n-3', text: '42' }, post);
    await waitUntil('the conversation ended', async () => (await lines()).includes('out: Thanks.'), 15_000);

    const transcript = await lines();
    expect(transcript.slice(0, 6)).toEqual([
      'in: hi',
      'out: Checking...',
      'note http_failed @crm',
      'out: Sorry, no luck.',
      'out: Your age?',
      'in: old enough',
    ]);
    expect(transcript[6]).toBe('note answer_refused @age');
    expect(transcript.slice(-2)).toEqual(['in: 42', 'out: Thanks.']);
    const { rows } = await database.db.query<{ workspace_id: string; text: string }>(
      `select workspace_id, text from conversation_notes where kind = 'http_failed'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.workspace_id).toBe(workspaceId);
    expect(rows[0]?.text).toContain('did not work');
  }, 60_000);
});
