/**
 * A person changes their own password and signs out everywhere. Both reach every API process at
 * once; guessing the current password is throttled like signing in.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';
/** Past the wait a wrong password earns (1 s after the first). */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NEW_PASSWORD = 'a brand new long password';

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

describe('one’s own account', () => {
  it('changes the password: the other devices are signed out, this one stays', async () => {
    const email = `pat-${randomUUID().slice(0, 8)}@example.com`;
    const laptop = await api.join(email, PASSWORD, 'editor');
    const phone = await api.login(email, PASSWORD);
    expect((await replica.call('get', '/me', { token: phone.token })).status).toBe(200);

    const wrong = await laptop.call('post', '/auth/password', {
      currentPassword: 'not it at all',
      newPassword: NEW_PASSWORD,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe('Your current password is not right.');
    expect(wrong.body.error.details.errors).toEqual([
      { pointer: '/currentPassword', message: 'This is not your current password.' },
    ]);
    // Straight after a wrong one, even the right password waits its turn.
    const soon = await laptop.call('post', '/auth/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(soon.status).toBe(429);
    expect(soon.body.error.message).toMatch(/^Too many wrong passwords\. Try again in \d+ seconds\.$/);
    await sleep(1_100);

    const short = await laptop.call('post', '/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'short',
    });
    expect(short.status).toBe(400);
    const changed = await laptop.call('post', '/auth/password', {
      currentPassword: PASSWORD,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);

    expect((await laptop.call('get', '/me')).status).toBe(200);
    expect((await replica.call('get', '/me', { token: phone.token })).status).toBe(401);
    await expect(api.login(email, PASSWORD)).rejects.toThrow();
    await sleep(1_100);
    expect((await (await api.login(email, NEW_PASSWORD)).call('get', '/me')).status).toBe(200);
  });

  it('signs out everywhere, this device included', async () => {
    const email = `sam-${randomUUID().slice(0, 8)}@example.com`;
    const laptop = await api.join(email, PASSWORD, 'viewer');
    const phone = await api.login(email, PASSWORD);
    expect((await replica.call('get', '/me', { token: laptop.token })).status).toBe(200);
    expect((await phone.call('post', '/auth/logout-everywhere')).status).toBe(204);
    for (const token of [laptop.token, phone.token]) {
      expect((await api.call('get', '/me', { token })).status).toBe(401);
      expect((await replica.call('get', '/me', { token })).status).toBe(401);
    }
    // Nobody else was signed out.
    expect((await api.admin.call('get', '/me')).status).toBe(200);
  });
});
