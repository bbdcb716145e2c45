import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLER_TTL_MS } from '../src/modules/auth/caller-cache.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from './support/test-api.js';

/** Two API processes on one database and bus: a sign-out reaches both. */
describe('signed-in sessions across API processes', () => {
  let api: TestApi;
  let replica: Awaited<ReturnType<TestApi['replica']>>;

  beforeAll(async () => {
    api = await startTestApi();
    replica = await api.replica();
  });

  afterAll(async () => {
    await replica?.close();
    await api?.close();
  });

  it('stops a token everywhere the moment it is signed out', async () => {
    const client = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    // Both processes have now seen (and remember) the token.
    expect((await client.call('get', '/me')).status).toBe(200);
    expect((await replica.call('get', '/me', { token: client.token })).status).toBe(200);

    expect((await client.call('post', '/auth/logout')).status).toBe(204);
    expect((await client.call('get', '/me')).status).toBe(401);
    const elsewhere = await replica.call('get', '/me', { token: client.token });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error.message).toMatch(/session has ended/);
  });

  it('stops a session revoked without a bus message within the cache lifetime', async () => {
    const client = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect((await replica.call('get', '/flows', { token: client.token })).status).toBe(200);
    await api.db.query('update auth_sessions set revoked_at = now() where revoked_at is null');
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < CALLER_TTL_MS + 2_000) {
      status = (await replica.call('get', '/flows', { token: client.token })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(CALLER_TTL_MS + 500);
  });
});
