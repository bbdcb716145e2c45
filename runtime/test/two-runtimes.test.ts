import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConversations } from './support/conversation-driver.js';
import { intakeFlow, intakeScripts } from './support/intake-flow.js';
import { createRuntimeEnv, type RuntimeEnv } from './support/runtime-env.js';
import type { RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { fetchDeliveries, redisKeys, settle, verifyConversations } from './support/verify.js';

const CONVERSATIONS = 120;

describe('two runtime processes sharing Postgres and Redis', () => {
  let env: RuntimeEnv;
  let runtimes: RuntimeProcess[];
  let numberId: string;

  beforeAll(async () => {
    env = await createRuntimeEnv();
    ({ numberId } = await seedPublishedFlow(env.database.db, intakeFlow));
    runtimes = await Promise.all([env.start(), env.start()]);
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('keeps each conversation in order while both share the work', async () => {
    const [a, b] = runtimes as [RuntimeProcess, RuntimeProcess];
    const { scripts, total } = intakeScripts(CONVERSATIONS);
    // Half the contacts wait for each reply; the other half fire all their messages at once,
    // alternating runtimes, so both runtimes hold messages of the same contact at the same time.
    const burst = (index: number) => index % 2 === 1;
    const started = Date.now();
    const { failures } = await runConversations(scripts, (_, index) => ({
      numberId,
      baseFor: (step) => ((step + index) % 2 === 0 ? a.base : b.base),
      deadline: Date.now() + 60_000,
      signal: env.stop.signal,
      mode: burst(index) ? 'burst' : 'lockstep',
    }));
    const elapsed = Date.now() - started;
    expect(failures).toEqual([]);
    await settle(env.database.db, numberId);

    // Lockstep contacts: one checkpoint per message, strict in/out alternation. Burst contacts: the
    // replies in exactly the expected order and checkpoint versions 1, 2, 3… with no gap or repeat.
    const lockstep = new Set(scripts.filter((_, index) => !burst(index)));
    const problems = await verifyConversations(env.database.db, numberId, scripts, {
      lockstep: (script) => lockstep.has(script),
      deliveries: await fetchDeliveries(b.base, numberId),
    });
    expect(problems).toEqual([]);

    // Both processes did real work: took messages, ran steps (checkpoints) and sent replies.
    const shares = await Promise.all(
      runtimes.map(async (runtime) => ({
        accepted: await runtime.metric('parley_inbound_messages_total', 'result="accepted"'),
        checkpoints: await runtime.metric('parley_checkpoint_batch_size_sum'),
        sent: await runtime.metric('parley_outbound_messages_total', 'status="sent"'),
        conflicts: await runtime.metric('parley_errors_total', 'kind="version_conflict"'),
      })),
    );
    expect(shares.reduce((sum, share) => sum + share.accepted, 0)).toBe(total);
    for (const share of shares) {
      expect(share.accepted).toBeGreaterThan(total * 0.3);
      expect(share.checkpoints).toBeGreaterThan(total * 0.2);
      expect(share.sent).toBeGreaterThan(0);
      // The lock kept the processes apart: the checkpoint fencing never had to reject a write.
      expect(share.conflicts).toBe(0);
    }
    const { rows } = await env.database.db.query<{ count: number }>(
      `select count(*)::int as count from contact_states where number_id = $1`,
      [numberId],
    );
    expect(rows[0]?.count).toBe(CONVERSATIONS);
    expect((await redisKeys(env.redis.redis, env.redis.prefix)).kinds.lock ?? 0).toBe(0);
    console.info(
      `two runtimes: ${CONVERSATIONS} conversations, ${total} messages in ${elapsed} ms; shares ${JSON.stringify(shares)}`,
    );
  }, 90_000);
});
