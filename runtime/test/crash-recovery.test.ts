import { busChannels, type ConnectedBus, connectBus } from '@parley/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DriverOptions, fetchTranscript, runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScripts } from './support/intake-flow.js';
import { internalAuth } from './support/internal-token.js';
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

const CONVERSATIONS = 200;

describe('a runtime SIGKILLed under load', () => {
  let env: RuntimeEnv;
  let runtime: RuntimeProcess;
  let numberId: string;
  let port: number;
  /** The test's own subscriber to the simulator channel: what was really delivered. */
  let bus: ConnectedBus;
  const published = new Set<string>();

  // Restarts come back on the same port.
  const start = () => env.start({ port });

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ numberId } = await seedPublishedFlow(env.database.db, intakeFlow));
    port = await freePort();
    bus = await connectBus({ redisUrl: env.redis.url, prefix: env.redis.prefix, db: env.database.db });
    await bus.bus.subscribe(busChannels.simulator(numberId).name, (message) => {
      const delivery = message as { type?: string; channelMessageId?: string };
      if (delivery.type === 'message' && delivery.channelMessageId !== undefined)
        published.add(delivery.channelMessageId);
    });
    runtime = await start();
  });

  afterAll(async () => {
    await bus?.close();
    await env?.cleanup();
  });

  it('finishes every conversation exactly once after a restart', async () => {
    const { scripts, total } = intakeScripts(CONVERSATIONS);
    const options = (): DriverOptions => ({
      numberId,
      baseFor: () => runtime.base,
      deadline: Date.now() + 90_000,
      signal: env.stop.signal,
    });
    const started = Date.now();
    const run = runConversations(scripts, options);

    // Kill it once a good share of the messages went through.
    await waitUntil(
      '40% of the messages are processed',
      async () => {
        return (await processedInbound(env.database.db, numberId)) >= total * 0.4;
      },
      60_000,
    );
    const killed = runtime;
    const atKill = await processedInbound(env.database.db, numberId);
    await killed.kill('SIGKILL');
    const locksLeft = (await redisKeys(env.redis.redis, env.redis.prefix)).kinds.lock ?? 0;
    const { rows: inFlight } = await env.database.db.query<{
      direction: string;
      status: string;
      count: number;
    }>(
      `select direction, status, count(*)::int as count from messages where number_id = $1
       group by direction, status order by 1, 2`,
      [numberId],
    );
    // Down for a moment while the contacts keep writing: the outage is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, 500));
    runtime = await start();
    const restartedAt = Date.now();

    const { results, failures } = await run;
    const finishedAt = Date.now();
    expect(failures).toEqual([]);
    await settle(env.database.db, numberId);
    const problems = await verifyConversations(env.database.db, numberId, scripts, {
      lockstep: true,
      deliveries: await fetchDeliveries(runtime.base, numberId),
    });
    expect(problems).toEqual([]);

    // No reply is marked sent with an id that never reached the simulator's subscribers.
    const { rows: sent } = await env.database.db.query<{ wa_message_id: string }>(
      `select wa_message_id from messages
       where number_id = $1 and direction = 'out' and status in ('sent', 'delivered', 'read')`,
      [numberId],
    );
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((row) => !published.has(row.wa_message_id))).toEqual([]);

    const retried = results.flatMap((result) => result.posts).filter((post) => post.attempts > 1);
    console.info(
      `crash: ${CONVERSATIONS} conversations, ${total} messages in ${Date.now() - started} ms; ` +
        `killed at ${atKill} processed; rows at the kill ${JSON.stringify(inFlight)}; ${locksLeft} lock keys left; ` +
        `done ${finishedAt - restartedAt} ms after the restart; ${retried.length} posts retried (${retried.filter((post) => post.status === 'duplicate').length} of them already recorded)`,
    );
    // The kill really interrupted conversations mid-way.
    expect(atKill).toBeLessThan(total);
    expect(retried.length).toBeGreaterThan(0);
  }, 150_000);

  it('handles one inbound id posted five times at once exactly once', async () => {
    const contact = '+15559990001';
    const post = () =>
      fetch(`${runtime.base}/simulator/numbers/${numberId}/messages`, {
        method: 'POST',
        headers: { ...internalAuth, 'content-type': 'application/json' },
        body: JSON.stringify({ contact, id: 'same-event', text: 'hi' }),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { status: string },
      }));
    const answers = await Promise.all([post(), post(), post(), post(), post()]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(answers.map((answer) => answer.body.status).sort()).toEqual([
      'accepted',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    await settle(env.database.db, numberId);
    // Give a wrongly scheduled second run the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = (await fetchTranscript(runtime.base, numberId, contact)) ?? [];
    expect(rows.map((row) => [row.direction, row.body.text ?? null, row.status])).toEqual([
      ['in', 'hi', 'processed'],
      ['out', "What's your name?", 'sent'],
    ]);
    const deliveries = await fetchDeliveries(runtime.base, numberId);
    expect(deliveries.filter((key) => key.startsWith(`${numberId}:${contact}:`))).toHaveLength(1);
  });
});
