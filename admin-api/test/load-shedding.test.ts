import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/flows.js';
import { startTestApi, type TestApi, waitFor } from './support/test-api.js';

describe('load shedding', () => {
  let api: TestApi;

  beforeAll(async () => {
    // Two requests at once at most; simulator messages with no runtime to answer them stay in
    // flight until the (short) simulator timeout, which holds the API at its limit on demand.
    api = await startTestApi({
      loadShedding: { maxInFlight: 2, maxLagMs: 0 },
      simulatorTimeoutMs: 4000,
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers a burst beyond the limit with 503 and Retry-After, then serves again', async () => {
    const flow = await api.admin.call('post', '/flows', { name: 'Busy', definition: intakeFlow() });
    const session = await api.admin.call('post', '/simulator/sessions', { flowId: flow.body.id });
    expect(session.status).toBe(201);
    const held = [1, 2].map((n) =>
      api.admin.call('post', `/simulator/sessions/${session.body.id}/messages`, { text: `hi ${n}` }),
    );

    // Once both are in flight, everything else is refused at once, before any work.
    const refused = await waitFor(async () => {
      const reply = await api.admin.call('get', '/flows');
      return reply.status === 503 ? reply : undefined;
    });
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(refused.body).toEqual({
      error: {
        code: 'unavailable',
        message:
          'Parley is busy right now and could not take this request. Nothing was changed; try again in 2 seconds.',
        details: { retryAfterSeconds: 2 },
      },
    });
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => api.admin.call('post', '/flows', { name: 'Should not exist' })),
    );
    expect(burst.map((reply) => reply.status)).toEqual(Array(10).fill(503));
    const { rows } = await api.db.query(`select 1 from flows where name = 'Should not exist'`);
    expect(rows).toEqual([]);

    // The held requests finish (stored, reply pending); then requests are served again.
    expect((await Promise.all(held)).map((reply) => reply.status)).toEqual([202, 202]);
    const served = await waitFor(async () => {
      const reply = await api.admin.call('get', '/flows');
      return reply.status === 200 ? reply : undefined;
    });
    expect(served.body.items).toHaveLength(1);
  }, 30_000);
});
