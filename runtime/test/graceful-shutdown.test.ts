import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostRecord, runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScripts } from './support/intake-flow.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import { freePort, type RuntimeProcess } from './support/runtime-process.js';
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

describe('SIGTERM under load', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;
  let numberId: string;
  let port: number;

  // Restarts come back on the same port.
  const start = () => env.start({ port });

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ numberId } = await seedPublishedFlow(env.database.db, intakeFlow));
    port = await freePort();
    runtime = await start();
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('exits 0 quickly, with everything it accepted committed and its locks released', async () => {
    const { scripts, total } = intakeScripts(CONVERSATIONS);
    const accepted: PostRecord[] = [];
    const run = runConversations(scripts, () => ({
      numberId,
      baseFor: () => runtime.base,
      deadline: Date.now() + 60_000,
      signal: env.stop.signal,
      onPost: (post) => accepted.push(post),
    }));

    await waitUntil(
      '30% of the messages are processed',
      async () => {
        return (await processedInbound(env.database.db, numberId)) >= total * 0.3;
      },
      45_000,
    );
    const stopping = runtime;
    const signalledAt = Date.now();
    const acceptedBefore = accepted.filter((post) => post.status === 'accepted').map((post) => post.id);
    const exit = await stopping.kill('SIGTERM');
    const exitMs = (stopping.exitedAt ?? Date.now()) - signalledAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(5_000);

    // What it had accepted before the signal was run and committed before it exited.
    const { rows } = await env.database.db.query<{ wa_message_id: string; status: string }>(
      `select wa_message_id, status from messages where number_id = $1 and direction = 'in'`,
      [numberId],
    );
    const status = new Map(rows.map((row) => [row.wa_message_id, row.status]));
    expect(acceptedBefore.filter((id) => status.get(id) !== 'processed')).toEqual([]);
    const leftReceived = rows.filter((row) => row.status === 'received').length;
    // No lock outlives the process.
    const { kinds } = await redisKeys(env.redis.redis, env.redis.prefix);
    expect(kinds.lock ?? 0).toBe(0);
    const { rows: outbox } = await env.database.db.query<{ count: number }>(
      `select count(*)::int as count from messages where number_id = $1 and direction = 'out' and status in ('queued', 'sending')`,
      [numberId],
    );

    // A new runtime finishes what was left (messages that arrived during the shutdown, replies
    // not yet sent) and the conversations go on.
    runtime = await start();
    const { failures } = await run;
    expect(failures).toEqual([]);
    await settle(env.database.db, numberId);
    const problems = await verifyConversations(env.database.db, numberId, scripts, {
      lockstep: true,
      deliveries: await fetchDeliveries(runtime.base, numberId),
    });
    expect(problems).toEqual([]);
    console.info(
      `graceful shutdown: exit 0 in ${exitMs} ms; ${acceptedBefore.length} accepted before the signal, all processed; ` +
        `left: ${leftReceived} inbound received (arrived during the shutdown), ${outbox[0]?.count} replies unsent`,
    );
  }, 90_000);
});
