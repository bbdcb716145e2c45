import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMessage, runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScripts } from './support/intake-flow.js';
import { internalAuth } from './support/internal-token.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { TcpProxy } from './support/tcp-proxy.js';
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
  let env: RuntimeEnv;
  let proxy: TcpProxy;
  let runtime: RuntimeProcess;
  let numberId: string;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ numberId } = await seedPublishedFlow(env.database.db, intakeFlow));
    const target = new URL(env.database.url);
    proxy = await TcpProxy.start(Number(target.port || 5432));
    target.port = String(proxy.port);
    runtime = await env.start({ databaseUrl: target.toString() });
  });

  afterAll(async () => {
    await env?.cleanup();
    await proxy?.close();
  });

  it('rides out the outage: nothing lost, nothing doubled', async () => {
    const { scripts, total } = intakeScripts(CONVERSATIONS);
    const run = runConversations(scripts, () => ({
      numberId,
      baseFor: () => runtime.base,
      deadline: Date.now() + 75_000,
      signal: env.stop.signal,
    }));

    await waitUntil(
      '35% of the messages are processed',
      async () => {
        return (await processedInbound(env.database.db, numberId)) >= total * 0.35;
      },
      45_000,
    );
    const atOutage = await processedInbound(env.database.db, numberId);
    await proxy.pause();
    const outageStarted = Date.now();
    // A message sent again into the outage (recorded once, whichever post comes first): the
    // runtime must try to record it while Postgres is away, even when every driver happens to be
    // between messages right now (that made the retry count below 0 once).
    const first = scripts[0] as (typeof scripts)[number];
    const repeated = postMessage(
      runtime.base,
      numberId,
      first.contact,
      first.steps[0] as (typeof first.steps)[number],
      {
        deadline: Date.now() + 30_000,
        signal: env.stop.signal,
      },
    );
    // Into the outage, which lasts OUTAGE_MS: its length is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const ready = await fetch(`${runtime.base}/readyz`, {
      headers: internalAuth,
      signal: AbortSignal.timeout(5_000),
    }).catch(async (error: unknown) => {
      const exit = runtime.running ? 'running' : JSON.stringify(await runtime.exited);
      throw new Error(`/readyz failed (${(error as Error).message}); runtime ${exit}:\n${runtime.logTail()}`);
    });
    const readiness = (await ready.json()) as { checks: { postgres: { ok: boolean } } };
    const duringOutage = await processedInbound(env.database.db, numberId);
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (Date.now() - outageStarted)));
    await proxy.resume();
    const resumedAt = Date.now();

    const { failures } = await run;
    await repeated;
    const doneAfter = Date.now() - resumedAt;
    expect(failures).toEqual([]);
    // The runtime told it was not ready, stayed up and retried.
    expect(ready.status).toBe(503);
    expect(readiness.checks.postgres.ok).toBe(false);
    expect(runtime.running).toBe(true);
    expect(await runtime.metric('parley_errors_total', 'kind="retry"')).toBeGreaterThan(0);
    await settle(env.database.db, numberId);
    const problems = await verifyConversations(env.database.db, numberId, scripts, {
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
