import { createTestRedis } from '@parley/db/testing';
import { RuntimeService, runtimeConfigFromEnv } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { startTestApi, type TestApi, waitFor } from './support/test-api.js';

describe('simulator keys in Redis', () => {
  let api: TestApi;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let runtime: RuntimeService;

  beforeAll(async () => {
    api = await startTestApi();
    redis = await createTestRedis();
    runtime = await RuntimeService.start(
      {
        ...runtimeConfigFromEnv({}),
        port: 0,
        host: '127.0.0.1',
        redisUrl: redis.url,
        redisPrefix: redis.prefix,
      },
      { db: api.db, bus: api.bus, listen: false },
    );
  });

  afterAll(async () => {
    await runtime?.stop();
    await redis?.cleanup();
    await api?.close();
  });

  async function keysOf(sessionId: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.redis.scan(cursor, 'MATCH', `${redis.prefix}*`, 'COUNT', 1000);
      cursor = next;
      found.push(...keys.filter((key) => key.includes(sessionId)));
    } while (cursor !== '0');
    return found.sort();
  }

  it('expire on their own, and are deleted with the session', async () => {
    const flow = await api.admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
    const session = await api.admin.call('post', '/simulator/sessions', { flowId: flow.body.id });
    const id = session.body.id;
    const reply = await api.admin.call('post', `/simulator/sessions/${id}/messages`, { text: 'hi' });
    expect(reply.status).toBe(200);

    const keys = await waitFor(async () => {
      const now = await keysOf(id);
      return now.length === 3 ? now : undefined;
    });
    expect(keys).toEqual(
      expect.arrayContaining([
        `${redis.prefix}sim:log:${id}`,
        `${redis.prefix}sim:sent:${id}`,
        expect.stringMatching(new RegExp(`^${redis.prefix}state:${id}:`)),
      ]),
    );
    for (const key of keys) {
      const ttl = await redis.redis.ttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(24 * 3600);
    }

    expect((await api.admin.call('delete', `/simulator/sessions/${id}`)).status).toBe(204);
    await waitFor(async () => ((await keysOf(id)).length === 0 ? true : undefined));
  });
});
