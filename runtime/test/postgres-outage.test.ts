import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScript } from './support/intake-flow.js';
import { freePort, killAllRuntimes, RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import {
  fetchDeliveries,
  processedInbound,
  settle,
  verifyConversations,
  waitUntil,
} from './support/verify.js';

const CONVERSATIONS = 150;
const OUTAGE_MS = 3_000;

describe('Postgres unreachable for a few seconds', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let proxy: TcpProxy;
  let runtime: RuntimeProcess;
  let numberId: string;
  const stop = new AbortController();

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    ({ numberId } = await seedPublishedFlow(database.db, intakeFlow));
    const target = new URL(database.url);
    proxy = await TcpProxy.start(Number(target.port || 5432));
    target.port = String(proxy.port);
    runtime = await RuntimeProcess.start({
      databaseUrl: target.toString(),
      redisUrl: redis.url,
      redisPrefix: redis.prefix,
      port: await freePort(),
    });
  });

  afterAll(async () => {
    stop.abort();
    await killAllRuntimes();
    await proxy?.close();
    await redis?.cleanup();
    await database?.drop();
  });

  it('rides out the outage: nothing lost, nothing doubled', async () => {
    const scripts = Array.from({ length: CONVERSATIONS }, (_, i) => intakeScript(i));
    const total = scripts.reduce((sum, script) => sum + script.steps.length, 0);
    const run = runConversations(scripts, () => ({
      numberId,
      baseFor: () => runtime.base,
      deadline: Date.now() + 75_000,
      signal: stop.signal,
    }));

    await waitUntil(
      '35% of the messages are processed',
      async () => {
        return (await processedInbound(database.db, numberId)) >= total * 0.35;
      },
      45_000,
    );
    const atOutage = await processedInbound(database.db, numberId);
    await proxy.pause();
    const outageStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ready = await fetch(`${runtime.base}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(
      async (error: unknown) => {
        const exit = runtime.running ? 'running' : JSON.stringify(await runtime.exited);
        throw new Error(
          `/readyz failed (${(error as Error).message}); runtime ${exit}:\n${runtime.logTail()}`,
        );
      },
    );
    const readiness = (await ready.json()) as { checks: { postgres: { ok: boolean } } };
    const duringOutage = await processedInbound(database.db, numberId);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - outageStarted)));
    await proxy.resume();
    const resumedAt = Date.now();

    const { failures } = await run;
    const doneAfter = Date.now() - resumedAt;
    expect(failures).toEqual([]);
    // The runtime told it was not ready, stayed up and retried.
    expect(ready.status).toBe(503);
    expect(readiness.checks.postgres.ok).toBe(false);
    expect(runtime.running).toBe(true);
    expect(await runtime.metric('parley_errors_total', 'kind="retry"')).toBeGreaterThan(0);
    await settle(database.db, numberId);
    const problems = await verifyConversations(database.db, numberId, scripts, {
      lockstep: true,
      deliveries: await fetchDeliveries(runtime.base, numberId),
    });
    expect(problems).toEqual([]);
    console.info(
      `postgres outage: cut at ${atOutage}/${total} processed (${duringOutage} a second in); ` +
        `all done ${doneAfter} ms after it came back; ${proxy.connections} connections through the proxy; ` +
        `${await runtime.metric('parley_errors_total', 'kind="retry"')} retries`,
    );
  }, 100_000);
});
