import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTexts, fetchTranscript, postMessage } from './support/conversation-driver.js';
import { intakeFlow, intakeScript } from './support/intake-flow.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import { seedPublishedFlow } from './support/seed.js';
import { fetchDeliveries, redisKeys, settle, verifyConversations, waitUntil } from './support/verify.js';

/** A promise that resolves once `fire` is called. */
function signal(): { fired: Promise<void>; fire: () => void } {
  let fire = () => {};
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}

/** The lease the per-contact lock used to have: a dead holder's contacts waited this long. */
const OLD_LEASE_MS = 15_000;

describe('a runtime killed while it holds a contact lock', () => {
  let env: RuntimeEnv;

  beforeAll(async () => {
    env = await createRuntimeEnv();
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('lets another runtime serve the contact within the short lease, nothing lost or doubled', async () => {
    const { numberId } = await seedPublishedFlow(env.database.db, intakeFlow);
    const [a, b] = await Promise.all([env.start(), env.start()]);
    const script = intakeScript(1, 'lease');
    const { contact, steps } = script;
    const expected = steps.flatMap((step) => step.replies);
    const post = (base: string, index: number) =>
      postMessage(base, numberId, contact, steps[index] as { id: string; text: string }, {
        deadline: Date.now() + 20_000,
        signal: env.stop.signal,
      });
    const repliesOn = async (base: string) =>
      botTexts((await fetchTranscript(base, numberId, contact)) ?? []);

    await post(a.base, 0);
    await waitUntil('the first reply', async () => (await repliesOn(a.base)).length === 1, 15_000);

    // Hold the contact's state row: runtime A's next turn takes the contact lock, then waits on
    // this row in its checkpoint, so it is still holding (and renewing) the lock when it dies.
    const released = signal();
    const held = signal();
    const blocker = env.database.db.transaction(async (tx) => {
      await tx.query('select 1 from contact_states where number_id = $1 and contact = $2 for update', [
        numberId,
        contact,
      ]);
      held.fire();
      await released.fired;
    });
    await held.fired;
    await post(a.base, 1);
    await waitUntil(
      "runtime A's checkpoint waits on the row",
      async () => {
        const { rows } = await env.database.db.query<{ count: number }>(
          `select count(*)::int as count from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and query like '%contact_states%'`,
        );
        return (rows[0]?.count ?? 0) > 0;
      },
      15_000,
    );
    expect((await redisKeys(env.redis.redis, env.redis.prefix)).kinds.lock).toBe(1);

    await a.kill('SIGKILL');
    const killedAt = Date.now();
    released.fire();
    await blocker;

    // The contact goes on with runtime B: its reply needs the dead runtime's lock.
    await post(b.base, 2);
    await waitUntil(
      'runtime B answers the email',
      async () => (await repliesOn(b.base)).length >= 3,
      OLD_LEASE_MS + 10_000,
    );
    const waited = Date.now() - killedAt;
    console.info(`dead lease: runtime B answered ${waited} ms after runtime A was killed`);
    expect(waited).toBeLessThan(12_000);

    await post(b.base, 3);
    await waitUntil(
      'the last reply',
      async () => (await repliesOn(b.base)).length >= expected.length,
      15_000,
    );
    await settle(env.database.db, numberId);
    expect(await repliesOn(b.base)).toEqual(expected);
    const problems = await verifyConversations(env.database.db, numberId, [script], {
      lockstep: false,
      deliveries: await fetchDeliveries(b.base, numberId),
    });
    expect(problems).toEqual([]);
    expect((await redisKeys(env.redis.redis, env.redis.prefix)).kinds.lock ?? 0).toBe(0);
  }, 90_000);
});
