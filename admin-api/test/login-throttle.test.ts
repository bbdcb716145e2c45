/**
 * Sign-in throttling and rate limits as an attacker meets them, over HTTP, with the counters in the
 * machine's Redis: answers that tell nothing, one password check at a time per email and client,
 * no way to keep someone else out, forwarded addresses believed only from trusted proxies, and
 * made-up tokens sharing their address's allowance.
 */
import { randomUUID } from 'node:crypto';
import { createTestRedis } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiConfig, apiConfigFromEnv } from '../src/config.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from './support/test-api.js';

const PASSWORD = 'a long enough password';

interface RawReply {
  status: number;
  text: string;
  retryAfter: string | null;
}

const started: { api: TestApi; cleanup: () => Promise<void> }[] = [];

/** A test API whose counters live in Redis under a prefix of its own. */
async function startApi(config: Partial<ApiConfig> = {}): Promise<TestApi> {
  const redis = await createTestRedis();
  const api = await startTestApi({ redisPrefix: redis.prefix, ...config }, redis.redis);
  started.push({ api, cleanup: redis.cleanup });
  return api;
}

afterAll(async () => {
  for (const { api, cleanup } of started) {
    await api.close();
    await cleanup();
  }
});

async function signIn(
  api: TestApi,
  email: string,
  password: string,
  forwardedFor?: string,
): Promise<RawReply> {
  const response = await fetch(`${api.base}/auth/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }),
    },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: response.status,
    text: await response.text(),
    retryAfter: response.headers.get('retry-after'),
  };
}

async function newUser(api: TestApi): Promise<string> {
  const email = `user-${randomUUID().slice(0, 8)}@parley.test`;
  const added = await api.admin.call('post', '/users', { email, password: PASSWORD, role: 'viewer' });
  expect(added.status).toBe(201);
  return email;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sign-in throttling', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi();
  });

  it('answers a wrong password, a throttled attempt and an unknown email byte for byte alike', async () => {
    const email = await newUser(api);
    const wrong = await signIn(api, email, 'wrong password');
    // Too soon after the wrong one: refused without checking, even with the right password.
    const throttled = await signIn(api, email, PASSWORD);
    const unknown = await signIn(api, `nobody-${email}`, 'wrong password');
    for (const reply of [wrong, throttled, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.text).toBe(wrong.text);
      expect(reply.retryAfter).toBe('1');
    }
    expect(JSON.parse(wrong.text).error).toEqual({
      code: 'unauthenticated',
      message:
        'The email or password is not right. After a wrong try, wait a few seconds before the next one.',
      details: null,
    });
    // Waiting out the throttle is the behaviour under test.
    await sleep(1_100);
    expect((await signIn(api, email, PASSWORD)).status).toBe(200);
  });

  it('makes each wrong password wait twice as long as the one before, and starts afresh after a success', async () => {
    const email = await newUser(api);
    const waits: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await signIn(api, email, `wrong ${i}`);
      expect(reply.status).toBe(401);
      waits.push(reply.retryAfter ?? '');
      // Waits out each Retry-After, as a client that follows it does.
      await sleep(Number(reply.retryAfter) * 1000 + 100);
    }
    expect(waits).toEqual(['1', '2', '4']);
    expect((await signIn(api, email, PASSWORD)).status).toBe(200);
    expect((await signIn(api, email, 'wrong again')).retryAfter).toBe('1');
  });

  it('checks one password at a time: 20 parallel guesses check at most one', async () => {
    const email = await newUser(api);
    const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(api, email, `guess ${i}`)));
    expect(guesses.map((reply) => reply.status)).toEqual(Array(20).fill(401));
    expect(new Set(guesses.map((reply) => reply.text)).size).toBe(1);
    // While that one failure's wait runs, the right password is refused too, however many try at once.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(api, email, i === 9 ? PASSWORD : `guess ${i}`)),
    );
    expect(burst.map((reply) => reply.status)).toEqual(Array(20).fill(401));
    // The wait is the one after exactly one failure (1 s): only one of the 40 guesses was checked.
    await sleep(1_100);
    expect((await signIn(api, email, PASSWORD)).status).toBe(200);
  });

  it('counts the right password among parallel guesses only if it is the one checked', async () => {
    const email = await newUser(api);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signIn(api, email, i === 10 ? PASSWORD : `guess ${i}`)),
    );
    const accepted = replies.filter((reply) => reply.status === 200).length;
    expect(accepted).toBeLessThanOrEqual(1);
    expect(replies.filter((reply) => reply.status === 401).length).toBe(20 - accepted);
  });

  it('throttles an account whatever spelling of its email is tried', async () => {
    const email = await newUser(api);
    expect((await signIn(api, email.toUpperCase(), 'wrong')).status).toBe(401);
    expect((await signIn(api, email, PASSWORD)).status).toBe(401);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const email = await newUser(api);
    expect((await signIn(api, email, 'wrong', '203.0.113.7')).status).toBe(401);
    // Another claimed address is still the same client: it waits like the first.
    expect((await signIn(api, email, PASSWORD, '198.51.100.2')).status).toBe(401);
  });
});

describe('sign-in behind a trusted proxy', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ trustProxy: ['loopback'], loginPerMinute: 5 });
  });

  it('cannot be turned by an attacker elsewhere into keeping the user out', async () => {
    const email = await newUser(api);
    for (let i = 0; i < 5; i++) await signIn(api, email, `attack ${i}`, '203.0.113.7');
    expect((await signIn(api, email, 'attack', '203.0.113.7')).status).toBe(429);
    // The user, from their own address, signs in at once.
    expect((await signIn(api, email, PASSWORD, '198.51.100.2')).status).toBe(200);
  });

  it('counts an IPv6 client by its /64 network, not by each address it can take', async () => {
    const email = await newUser(api);
    expect((await signIn(api, email, 'attack', '2001:db8:1:2::7')).status).toBe(401);
    expect((await signIn(api, email, PASSWORD, '2001:db8:1:2:ffff::8')).status).toBe(401);
    expect((await signIn(api, email, PASSWORD, '2001:db8:1:3::9')).status).toBe(200);
  });

  it('caps attempts per client across emails (password spraying), not counting successes', async () => {
    const sprayer = '203.0.113.99';
    for (let i = 0; i < 3; i++)
      expect((await signIn(api, ADMIN_EMAIL, ADMIN_PASSWORD, sprayer)).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await signIn(api, `person-${i}@parley.test`, 'Summer2026!', sprayer)).status).toBe(401);
    }
    const capped = await signIn(api, 'person-5@parley.test', 'Summer2026!', sprayer);
    expect(capped.status).toBe(429);
    const error = JSON.parse(capped.text).error;
    expect(error.code).toBe('rate_limited');
    expect(error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Everyone else is unaffected.
    expect((await signIn(api, ADMIN_EMAIL, ADMIN_PASSWORD, '198.51.100.3')).status).toBe(200);
  });
});

describe('API rate limit per caller', () => {
  const PER_MINUTE = 6;

  async function get(api: TestApi, headers: Record<string, string>): Promise<number> {
    return (await fetch(`${api.base}/flows`, { headers })).status;
  }

  it('puts requests with made-up tokens in their address bucket, whatever X-Forwarded-For says', async () => {
    const api = await startApi({ apiPerMinute: PER_MINUTE });
    // The test API's own sign-in already used one request of this address.
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE; i++) {
      statuses.push(
        await get(api, { authorization: `Bearer junk-${randomUUID()}`, 'x-forwarded-for': `203.0.113.${i}` }),
      );
    }
    expect(statuses).toEqual([...Array(PER_MINUTE - 1).fill(401), 429]);
    expect(await get(api, {})).toBe(429);
    // A signed-in caller counts on their own.
    expect(await get(api, { authorization: `Bearer ${api.admin.token}` })).toBe(200);
  });

  it("believes a trusted proxy's X-Forwarded-For: each client has its own bucket", async () => {
    const api = await startApi({ apiPerMinute: PER_MINUTE, trustProxy: ['loopback'] });
    for (let i = 0; i < PER_MINUTE; i++) await get(api, { 'x-forwarded-for': '203.0.113.1' });
    expect(await get(api, { 'x-forwarded-for': '203.0.113.1' })).toBe(429);
    expect(await get(api, { 'x-forwarded-for': '203.0.113.2' })).toBe(401);
  });
});

describe('PARLEY_TRUST_PROXY', () => {
  const trustProxy = (value?: string) =>
    apiConfigFromEnv('secret', value === undefined ? {} : { PARLEY_TRUST_PROXY: value }).trustProxy;

  it('trusts no proxy by default; reads names, addresses, CIDR ranges or a hop count', () => {
    expect(trustProxy()).toBe(false);
    expect(trustProxy(' ')).toBe(false);
    expect(trustProxy('uniquelocal, 10.1.2.3, fd00::/8')).toEqual(['uniquelocal', '10.1.2.3', 'fd00::/8']);
    expect(trustProxy('2')).toBe(2);
  });

  it('stops the start with a clear message for a value it cannot read', () => {
    expect(() => trustProxy('loopback, nginx')).toThrow(
      'PARLEY_TRUST_PROXY: "nginx" is not loopback, linklocal, uniquelocal, an IP address or a CIDR range',
    );
  });
});
