import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, waitFor } from './support/test-api.js';

describe('load shedding', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ loadShedding: { maxInFlight: 2, maxLagMs: 0 } });
  });

  afterAll(async () => {
    await api?.close();
  });

  /**
   * Holds one of the API's slots: a request whose headers are sent and whose body never ends, so
   * the API waits for it until the client goes away. Should the API answer it (it was refused
   * because the slots were taken at that moment), it asks again.
   */
  function holdSlot(): { release: () => void } {
    const { hostname, port } = new URL(api.base);
    let released = false;
    let socket: Socket;
    const open = () => {
      socket = connect(Number(port), hostname, () =>
        socket.write(
          `POST /api/v1/flows HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${api.admin.token}\r\n` +
            'content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"name":',
        ),
      );
      socket.once('data', () => {
        socket.destroy();
        if (!released) open();
      });
    };
    open();
    return {
      release: () => {
        released = true;
        socket.destroy();
      },
    };
  }

  it('answers a burst beyond the limit with 503 and Retry-After, then serves again', async () => {
    const held = [holdSlot(), holdSlot()];

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
    expect(burst.every((reply) => reply.headers.get('retry-after') === '2')).toBe(true);
    const { rows } = await api.db.query(`select 1 from flows where name = 'Should not exist'`);
    expect(rows).toEqual([]);

    // The slow clients go away; their slots free up and requests are served again.
    for (const slot of held) slot.release();
    const served = await waitFor(async () => {
      const reply = await api.admin.call('post', '/flows', { name: 'Served' });
      return reply.status === 201 ? reply : undefined;
    });
    expect(served.body.name).toBe('Served');
  });

  it('does not count open event streams as work in progress: open inboxes never crowd out requests', async () => {
    const controller = new AbortController();
    const streams = await Promise.all(
      Array.from({ length: 3 }, () =>
        fetch(`${api.base}/inbox/events`, {
          headers: { authorization: `Bearer ${api.admin.token}` },
          signal: controller.signal,
        }),
      ),
    );
    expect(streams.map((response) => response.status)).toEqual([200, 200, 200]);
    // Three streams are open, more than the two requests allowed at once: requests are still served.
    const reply = await api.admin.call('get', '/inbox/summary');
    expect(reply.status).toBe(200);
    controller.abort();
  });
});
