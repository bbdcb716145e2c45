import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScript } from './support/intake-flow.js';
import { freePort, killAllRuntimes, RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import {
  fetchDeliveries,
  processedInbound,
  redisKeys,
  settle,
  verifyConversations,
  waitUntil,
} from './support/verify.js';

const CONVERSATIONS = 150;

describe('Redis flushed while conversations are active', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let runtime: RuntimeProcess;
  let numberId: string;
  const stop = new AbortController();

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    ({ numberId } = await seedPublishedFlow(database.db, intakeFlow));
    runtime = await RuntimeProcess.start({
      databaseUrl: database.url,
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      port: await freePort(),
    });
  });

  afterAll(async () => {
    stop.abort();
    await killAllRuntimes();
    await redis?.cleanup();
    await database?.drop();
  });

  it('continues every conversation from its Postgres checkpoint', async () => {
    const scripts = Array.from({ length: CONVERSATIONS }, (_, i) => intakeScript(i));
    const total = scripts.reduce((sum, script) => sum + script.steps.length, 0);
    const started = Date.now();
    const flushedAt: number[] = [];
    const run = runConversations(scripts, () => ({
      numberId,
      baseFor: () => runtime.base,
      deadline: Date.now() + 60_000,
      signal: stop.signal,
    }));

    // Delete every key of this run twice, while conversations are between questions.
    const flushed: Record<string, number>[] = [];
    for (const share of [0.3, 0.65]) {
      await waitUntil(
        `${share * 100}% of the messages are processed`,
        async () => {
          return (await processedInbound(database.db, numberId)) >= total * share;
        },
        45_000,
      );
      const { keys, kinds } = await redisKeys(redis.redis, redis.prefix);
      if (keys.length > 0) await redis.redis.del(...keys);
      flushed.push(kinds);
      flushedAt.push(Date.now() - started);
    }
    // Hot state was in use, so the flush really took it away mid-conversation.
    for (const kinds of flushed) expect(kinds.state ?? 0).toBeGreaterThan(0);
    const logAfterFlush = await fetchDeliveries(runtime.base, numberId);

    const { failures } = await run;
    expect(failures).toEqual([]);
    await settle(database.db, numberId);
    // One conversation per contact (none restarted from the trigger), answers intact, every reply
    // exactly once. The delivery log went with the flush, so only what followed it is checked.
    expect(await verifyConversations(database.db, numberId, scripts, { lockstep: true })).toEqual([]);
    const deliveries = await fetchDeliveries(runtime.base, numberId);
    expect(deliveries.length).toBeGreaterThan(logAfterFlush.length);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    // The state cache filled again from the checkpoints of the contacts that went on talking.
    expect((await redisKeys(redis.redis, redis.prefix)).kinds.state ?? 0).toBeGreaterThan(0);
    console.info(
      `redis flush: ${CONVERSATIONS} conversations in ${Date.now() - started} ms; flushes at ${flushedAt.join(', ')} ms; ` +
        `keys deleted ${JSON.stringify(flushed)}`,
    );
  }, 90_000);
});
