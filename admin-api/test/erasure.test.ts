import { createTestRedis } from '@parley/db/testing';
import type { RuntimeService } from '@parley/runtime';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesContaining } from './support/db-scan.js';
import { intakeFlow } from './support/flows.js';
import { startTestApi, type TestApi, waitFor } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

// Erasing a contact through the API leaves no trace of the phone in Postgres or Redis.

const PHONE = '+14155550199';
const DIGITS = '4155550199';
const OTHER = '+14155550111';

/** Every key under `prefix` whose name or value mentions `needle`. */
async function redisKeysMentioning(redis: Redis, prefix: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const values =
        type === 'string'
          ? [await redis.get(key)]
          : type === 'hash'
            ? Object.entries(await redis.hgetall(key)).flat()
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, '0', '-1')
                  : [`unread ${type}`];
      if ([key, ...values].some((value) => value?.includes(needle))) found.push(key);
    }
  } while (cursor !== '0');
  return found;
}

describe('contact erasure', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;

  beforeAll(async () => {
    api = await startTestApi();
    redis = await createTestRedis();
    runtime = await startTestRuntime(api.db, api.bus, { redisUrl: redis.url, redisPrefix: redis.prefix });
  });

  afterAll(async () => {
    await runtime?.stop();
    await redis?.cleanup();
    await api?.close();
  });

  it('removes the phone from every table and every Redis key', async () => {
    const editor = await api.member('editor');
    const flow = await editor.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    expect((await editor.call('post', `/flows/${flow.body.id}/publish`)).status).toBe(201);
    // A conversation in the live test: messages, state in Redis, the simulator's sent log.
    const session = await editor.call('post', '/simulator/sessions', {
      flowId: flow.body.id,
      version: 1,
      contact: { name: 'Zed', phone: PHONE },
    });
    expect(session.status).toBe(201);
    for (const text of ['hi', 'zed@example.com']) {
      const reply = await editor.call('post', `/simulator/sessions/${session.body.id}/messages`, { text });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    }
    // A number whose settings, saved by an earlier release (the API now refuses settings it does
    // not apply), list the phone among test contacts.
    const number = await api.admin.call('post', '/numbers', { phone: '+14155550100' });
    expect(number.status).toBe(201);
    const settings = { testContacts: [PHONE, OTHER], note: `VIP ${PHONE}`, [PHONE]: { muted: true } };
    await api.db.query('update numbers set settings = $2 where id = $1', [number.body.id, settings]);
    // What the WhatsApp channel records after each send (it runs in Chromium, so it is seeded).
    await api.db.query(
      `insert into whatsapp_sent (number_id, idempotency_key, part, wa_message_id) values ($1, $2, 0, 'wa-1')`,
      [number.body.id, `${number.body.id}:${PHONE}:1:1`],
    );
    expect(await tablesContaining(api.db, DIGITS)).toEqual(
      expect.arrayContaining(['contact_states', 'conversations', 'messages', 'numbers', 'whatsapp_sent']),
    );
    expect(await redisKeysMentioning(redis.redis, redis.prefix, DIGITS)).not.toEqual([]);

    const erased = await api.admin.call('delete', `/contacts/${encodeURIComponent(PHONE)}`);
    expect(erased.status).toBe(200);
    expect(erased.body.conversations).toBe(1);

    expect(await tablesContaining(api.db, DIGITS)).toEqual([]);
    await waitFor(async () =>
      (await redisKeysMentioning(redis.redis, redis.prefix, DIGITS)).length === 0 ? true : undefined,
    );
    const kept = await api.admin.call('get', `/numbers/${number.body.id}`);
    expect(kept.body.settings).toEqual({ testContacts: [OTHER] });
  });
});
