import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { INTERNAL_TOKEN, internalAuth } from './support/internal-token.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';

const emailFlow = JSON.parse(
  readFileSync(new URL('./scenarios/email-retry.json', import.meta.url), 'utf8'),
).flow;

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('slow turns', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let service: RuntimeService;
  let numberId: string;
  const logged: Record<string, unknown>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    ({ numberId } = await seedPublishedFlow(database.db, emailFlow));
    const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    service = await RuntimeService.start(
      {
        ...runtimeConfigFromEnv({}),
        port: 0,
        host: '127.0.0.1',
        tokens: { internal: INTERNAL_TOKEN },
        databaseUrl: database.url,
        redisUrl: redis.url,
        redisPrefix: redis.prefix,
        // Every turn takes at least 0 ms: each one is logged.
        slowTurnMs: 0,
      },
      { logger },
    );
  });

  afterAll(async () => {
    await service?.stop();
    await redis?.cleanup();
    await database?.drop();
  });

  it('logs a turn slower than PARLEY_SLOW_TURN_MS with its conversation and node', async () => {
    const say = (text: string) =>
      fetch(`http://127.0.0.1:${service.port}/simulator/numbers/${numberId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...internalAuth },
        body: JSON.stringify({ contact: '+15550000009', text }),
      });
    expect((await say('start')).status).toBe(202);
    await service.processor.idle();
    expect((await say('not an email')).status).toBe(202);
    const slow = await waitFor(() => {
      const turns = logged.filter((line) => String(line.msg).startsWith('slow turn'));
      return turns.length >= 2 ? turns : undefined;
    });
    const { rows } = await database.db.query<{ id: string }>(
      'select id from conversations where contact = $1',
      ['+15550000009'],
    );
    const [conversation] = rows;
    const asked = emailFlow.nodes.find((node: { type: string }) => node.type === 'question').id;
    expect(slow[0]).toMatchObject({
      level: 40,
      numberId,
      conversationId: conversation?.id,
      nodeId: null,
      stoppedAtNodeId: asked,
      event: 'message',
    });
    expect(slow[1]).toMatchObject({
      conversationId: conversation?.id,
      nodeId: asked,
      stoppedAtNodeId: asked,
    });
    expect(typeof slow[1]?.durationMs).toBe('number');
  });
});
