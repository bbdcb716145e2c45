import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScripts } from './support/intake-flow.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
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
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;
  let numberId: string;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ numberId } = await seedPublishedFlow(env.database.db, intakeFlow));
    runtime = await env.start();
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('continues every conversation from its Postgres checkpoint', async () => {
    const { scripts, total } = intakeScripts(CONVERSATIONS);
    const started = Date.now();
    const flushedAt: number[] = [];
    const run = runConversations(scripts, () => ({
      numberId,
      baseFor: () => runtime.base,
      deadline: Date.now() + 60_000,
      signal: env.stop.signal,
    }));

    // Delete every key of this run twice, while conversations are between questions.
    const flushed: Record<string, number>[] = [];
    for (const share of [0.3, 0.65]) {
      await waitUntil(
        `${share * 100}% of the messages are processed`,
        async () => {
          return (await processedInbound(env.database.db, numberId)) >= total * share;
        },
        45_000,
      );
      const { keys, kinds } = await redisKeys(env.redis.redis, env.redis.prefix);
      if (keys.length > 0) await env.redis.redis.del(...keys);
      flushed.push(kinds);
      flushedAt.push(Date.now() - started);
    }
    // Hot state was in use, so the flush really took it away mid-conversation.
    for (const kinds of flushed) expect(kinds.state ?? 0).toBeGreaterThan(0);
    const logAfterFlush = await fetchDeliveries(runtime.base, numberId);

    const { failures } = await run;
    expect(failures).toEqual([]);
    await settle(env.database.db, numberId);
    // One conversation per contact (none restarted from the trigger), answers intact, every reply
    // exactly once. The delivery log went with the flush, so only what followed it is checked.
    expect(await verifyConversations(env.database.db, numberId, scripts, { lockstep: true })).toEqual([]);
    const deliveries = await fetchDeliveries(runtime.base, numberId);
    expect(deliveries.length).toBeGreaterThan(logAfterFlush.length);
    expect(new Set(deliveries).size).toBe(deliveries.length);
    // The state cache filled again from the checkpoints of the contacts that went on talking.
    expect((await redisKeys(env.redis.redis, env.redis.prefix)).kinds.state ?? 0).toBeGreaterThan(0);
    console.info(
      `redis flush: ${CONVERSATIONS} conversations in ${Date.now() - started} ms; flushes at ${flushedAt.join(', ')} ms; ` +
        `keys deleted ${JSON.stringify(flushed)}`,
    );
  }, 90_000);
});
