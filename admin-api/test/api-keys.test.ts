import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisBus } from '@parley/bus';
import { createTestRedis } from '@parley/db/testing';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApi } from '../src/app.js';
import { tablesContaining } from './support/db-scan.js';
import { intakeFlow } from './support/flows.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type Client, startTestApi, type TestApi } from './support/test-api.js';

const KEY_FORMAT = /^pk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

let api: TestApi;
let editor: Client;
let flowId: string;

/** Makes a key as the admin; its secret and listed form. */
async function makeKey(body: Record<string, unknown>) {
  const reply = await api.admin.call('post', '/api-keys', body);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body as { key: string; apiKey: { id: string; prefix: string; name: string } };
}

const as = (key: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  api.call(method, path, {
    token: key,
    ...(body === undefined ? {} : { body }),
    ...(headers === undefined ? {} : { headers }),
  });

beforeAll(async () => {
  api = await startTestApi();
  editor = await api.member('editor');
  const flow = await api.admin.call('post', '/flows', { name: 'Intake', definition: intakeFlow() });
  flowId = flow.body.id;
});

afterAll(async () => {
  await api?.close();
});

describe('API keys', () => {
  it('shows a new key once; lists never hold it, nor its hash', async () => {
    const { key, apiKey } = await makeKey({ name: 'Nightly export', role: 'viewer' });
    expect(key).toMatch(KEY_FORMAT);
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);
    const list = await api.admin.call('get', '/api-keys');
    expect(list.status).toBe(200);
    const listed = list.body.items.find((item: { id: string }) => item.id === apiKey.id);
    expect(listed).toMatchObject({
      name: 'Nightly export',
      role: 'viewer',
      prefix: apiKey.prefix,
      createdBy: ADMIN_EMAIL,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      state: 'active',
    });
    const { rows } = await api.db.query<{ key_hash: string }>('select key_hash from api_keys where id = $1', [
      apiKey.id,
    ]);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(key.slice(apiKey.prefix.length + 1));
    expect(text).not.toContain(rows[0]?.key_hash);
    // Only the hash is stored: the secret is nowhere in the database.
    expect(await tablesContaining(api.db, key.slice(apiKey.prefix.length + 1))).toEqual([]);
  });

  it('keeps no answer to replay: an Idempotency-Key is refused, and nothing is made', async () => {
    const before = (await api.admin.call('get', '/api-keys')).body.items.length;
    const reply = await api.call('post', '/api-keys', {
      token: api.admin.token,
      body: { name: 'Retried', role: 'viewer' },
      headers: { 'idempotency-key': 'retry-1' },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/secret shown only once.*Leave the header out/);
    expect((await api.admin.call('get', '/api-keys')).body.items.length).toBe(before);
    const doc = (await api.call('get', '/openapi.json')).body;
    const parameters = (doc.paths['/api-keys'].post.parameters ?? []) as { name: string }[];
    expect(parameters.map((parameter) => parameter.name)).not.toContain('Idempotency-Key');
    const reset = (doc.paths['/users/{id}/password-reset'].post.parameters ?? []) as { name: string }[];
    expect(reset.map((parameter) => parameter.name)).not.toContain('Idempotency-Key');
  });

  it('refuses an admin key, an unknown role, a blank name and a past expiry in plain words', async () => {
    const admin = await api.admin.call('post', '/api-keys', { name: 'Root', role: 'admin' });
    expect(admin.status).toBe(400);
    expect(admin.body.error.message).toMatch(/cannot be an admin.*viewer.*editor/);
    expect((await api.admin.call('post', '/api-keys', { name: 'X', role: 'owner' })).status).toBe(400);
    expect((await api.admin.call('post', '/api-keys', { name: '  ', role: 'viewer' })).status).toBe(400);
    const past = await api.admin.call('post', '/api-keys', {
      name: 'Old',
      role: 'viewer',
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.error.message).toMatch(/in the past/);
  });

  it('lets a viewer key read and export, records its use once a minute, and refuses edits', async () => {
    const { key, apiKey } = await makeKey({ name: 'Analyst', role: 'viewer', expiresInDays: 30 });
    const flows = await as(key, 'get', '/flows');
    expect(flows.status).toBe(200);
    expect(flows.body.items.map((flow: { id: string }) => flow.id)).toContain(flowId);
    const exported = await as(key, 'get', `/flows/${flowId}/responses/export?format=csv`);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/text\/csv/);

    const created = await as(key, 'post', '/flows', { name: 'Not allowed' });
    expect(created.status).toBe(403);
    expect(created.body.error.code).toBe('forbidden');

    const used = async () =>
      (await api.admin.call('get', '/api-keys')).body.items.find(
        (item: { id: string }) => item.id === apiKey.id,
      ).lastUsedAt as string | null;
    const first = await used();
    expect(first).not.toBeNull();
    expect((await as(key, 'get', '/flows')).status).toBe(200);
    // Within the minute: no second write.
    expect(await used()).toBe(first);
  });

  it('lets an editor key build and publish a flow', async () => {
    const { key } = await makeKey({ name: 'CI', role: 'editor' });
    const flow = await as(key, 'post', '/flows', { name: 'From CI', definition: intakeFlow('From CI') });
    expect(flow.status).toBe(201);
    const published = await as(key, 'post', `/flows/${flow.body.id}/publish`);
    expect(published.status).toBe(201);
    // Recorded under the admin who made the key.
    const { rows } = await api.db.query<{ user_id: string }>(
      `select user_id from audit_log where action = 'flow.publish' and entity_id = $1`,
      [flow.body.id],
    );
    expect(rows.map((row) => row.user_id)).toEqual([api.adminUserId]);
  });

  it('never works on people, keys or accounts, whatever its role', async () => {
    const { key } = await makeKey({ name: 'CI', role: 'editor' });
    const attempts: [string, string, unknown?][] = [
      ['get', '/users'],
      [
        'post',
        '/users',
        { email: 'someone@example.com', password: 'a long enough password', role: 'viewer' },
      ],
      ['get', '/users/invitations'],
      ['get', '/api-keys'],
      ['post', '/api-keys', { name: 'Another', role: 'editor' }],
      ['get', '/me'],
      ['post', '/auth/logout'],
      ['post', '/auth/logout-everywhere'],
      ['post', '/auth/password', { currentPassword: 'x', newPassword: 'another long enough password' }],
      ['get', '/invitations'],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await as(key, method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(403);
      expect(reply.body.error.code, `${method} ${path}`).toBe('api_key_not_allowed');
      expect(reply.body.error.message).toMatch(/Sign in with your email and password/);
    }
    const other = (await makeKey({ name: 'Victim', role: 'viewer' })).apiKey;
    expect((await as(key, 'delete', `/api-keys/${other.id}`)).status).toBe(403);
    // Admin-only settings: the role says no.
    expect((await as(key, 'patch', '/workspace', { name: 'Renamed' })).body.error.code).toBe('forbidden');
  });

  it('refuses an expired key with a 401 that says so', async () => {
    const { key, apiKey } = await makeKey({ name: 'Short', role: 'viewer', expiresInDays: 1 });
    // Its day has passed (a key in use is also forgotten by the process at its expiry, at the latest).
    await api.db.query(`update api_keys set expires_at = now() - interval '1 hour' where id = $1`, [
      apiKey.id,
    ]);
    const refused = await as(key, 'get', '/flows');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('api_key_expired');
    expect(refused.body.error.message).toMatch(/expired on \d{4}-\d\d-\d\d\. Ask an admin/);
    const listed = (await api.admin.call('get', '/api-keys')).body.items.find(
      (item: { id: string }) => item.id === apiKey.id,
    );
    expect(listed.state).toBe('expired');
  });

  it('answers a wrong key 401, never locking out the key or the admin', async () => {
    const { key } = await makeKey({ name: 'Guessed', role: 'viewer' });
    const wrong = `${key.slice(0, -4)}AAAA`;
    for (let attempt = 0; attempt < 20; attempt++) {
      const reply = await as(wrong, 'get', '/flows');
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('api_key_invalid');
      expect(reply.headers.get('retry-after')).toBeNull();
    }
    expect((await as('pk_nonsense', 'get', '/flows')).body.error.code).toBe('api_key_invalid');
    expect((await as(key, 'get', '/flows')).status).toBe(200);
    expect(
      (await api.call('post', '/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } }))
        .status,
    ).toBe(200);
  });

  it('audits making and revoking a key, never with the key', async () => {
    const { key, apiKey } = await makeKey({ name: 'Audited', role: 'editor', expiresInDays: 90 });
    expect((await api.admin.call('delete', `/api-keys/${apiKey.id}`)).status).toBe(204);
    // Revoking again changes nothing (and records nothing).
    expect((await api.admin.call('delete', `/api-keys/${apiKey.id}`)).status).toBe(204);
    const audit = await api.admin.call('get', '/audit?entity=api_key');
    const entries = audit.body.items.filter((item: { entityId: string }) => item.entityId === apiKey.id);
    expect(entries.map((entry: { action: string }) => entry.action)).toEqual([
      'api_key.revoke',
      'api_key.create',
    ]);
    expect(entries[1].after).toMatchObject({ name: 'Audited', role: 'editor', prefix: apiKey.prefix });
    expect(entries[0].before).toEqual({ name: 'Audited', role: 'editor', prefix: apiKey.prefix });
    expect(JSON.stringify(audit.body)).not.toContain(key.slice(apiKey.prefix.length + 1));
    const refused = await as(key, 'get', '/flows');
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: 'api_key_revoked' });
    expect(refused.body.error.message).toMatch(/revoked\. Ask an admin/);
  });

  it('is only for admins to make, list and revoke', async () => {
    expect((await editor.call('get', '/api-keys')).status).toBe(403);
    expect((await editor.call('post', '/api-keys', { name: 'Mine', role: 'viewer' })).status).toBe(403);
    const { apiKey } = await makeKey({ name: 'Kept', role: 'viewer' });
    expect((await editor.call('delete', `/api-keys/${apiKey.id}`)).status).toBe(403);
  });

  it('sees only its own workspace', async () => {
    const elsewhere = await api.otherWorkspace();
    const foreign = await elsewhere.call('post', '/flows', { name: 'Theirs' });
    expect(foreign.status).toBe(201);
    const theirKey = await elsewhere.call('post', '/api-keys', { name: 'Theirs', role: 'viewer' });
    expect(theirKey.status).toBe(201);
    const { key } = await makeKey({ name: 'Ours', role: 'viewer' });
    const ids = (await as(key, 'get', '/flows')).body.items.map((flow: { id: string }) => flow.id);
    expect(ids).toContain(flowId);
    expect(ids).not.toContain(foreign.body.id);
    expect((await as(key, 'get', `/flows/${foreign.body.id}`)).status).toBe(404);
    expect(
      (await as(key, 'get', '/flows', undefined, { 'x-workspace-id': elsewhere.workspace as string })).status,
    ).toBe(404);
    // Neither workspace's admin sees or revokes the other's keys.
    const ours = (await api.admin.call('get', '/api-keys')).body.items.map((item: { id: string }) => item.id);
    expect(ours).not.toContain(theirKey.body.apiKey.id);
    expect((await api.admin.call('delete', `/api-keys/${theirKey.body.apiKey.id}`)).status).toBe(404);
    expect((await as(theirKey.body.key, 'get', `/flows/${flowId}`)).status).toBe(404);
  });

  it('is a security scheme of the OpenAPI document, listed where a key works', async () => {
    const doc = (await api.call('get', '/openapi.json')).body;
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const schemes = (path: string, method: string) =>
      (doc.paths[path][method].security as Record<string, unknown>[]).flatMap((entry) => Object.keys(entry));
    expect(schemes('/flows', 'get')).toEqual(['bearer', 'apiKey']);
    expect(schemes('/flows/{id}/publish', 'post')).toEqual(['bearer', 'apiKey']);
    expect(schemes('/flows/{id}/responses/export', 'get')).toEqual(['bearer', 'apiKey']);
    expect(schemes('/users', 'get')).toEqual(['bearer']);
    expect(schemes('/api-keys', 'post')).toEqual(['bearer']);
    expect(schemes('/me', 'get')).toEqual(['bearer']);
    expect(schemes('/workspace', 'patch')).toEqual(['bearer']);
    expect(schemes('/auth/password', 'post')).toEqual(['bearer']);
  });
});

describe('API keys across API processes sharing Redis', () => {
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  const connections: Redis[] = [];
  const servers: Server[] = [];
  const logged: string[] = [];
  let bases: string[];

  beforeAll(async () => {
    redis = await createTestRedis();
    const { config } = api.api.context;
    bases = [];
    for (let index = 0; index < 2; index++) {
      const publisher = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      const subscriber = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      connections.push(publisher, subscriber);
      const process = createApi({
        db: api.db,
        bus: new RedisBus(publisher, subscriber, redis.prefix),
        redis: redis.redis,
        config: { ...config, redisPrefix: redis.prefix },
        // Every log line at every level (the API keeps no request log; this guards any line it writes).
        logger: pino({ level: 'trace' }, { write: (line: string) => logged.push(line) }),
      });
      const server = await new Promise<Server>((resolve) => {
        const listening = process.app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      servers.push(server);
      bases.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`);
    }
    // Both processes listen for revoked keys before the test revokes one.
    await vi.waitFor(
      async () => {
        const [, listeners] = (await redis.redis.pubsub('NUMSUB', `${redis.prefix}api-key-revoked`)) as [
          string,
          number,
        ];
        if (listeners !== 2) throw new Error(`${listeners} of 2 processes listen`);
      },
      { timeout: 10_000, interval: 20 },
    );
  });

  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    for (const connection of connections) connection.disconnect();
    await redis?.cleanup();
  });

  const send = (base: string, method: string, path: string, token: string) =>
    fetch(`${base}${path}`, { method: method.toUpperCase(), headers: { authorization: `Bearer ${token}` } });

  it('refuses a key revoked on one process at once on the other', async () => {
    const [a, b] = bases as [string, string];
    const { key, apiKey } = await makeKey({ name: 'Shared', role: 'viewer' });
    // Both processes have resolved (and cached) the key.
    expect((await send(a, 'get', '/flows', key)).status).toBe(200);
    expect((await send(b, 'get', '/flows', key)).status).toBe(200);
    const revoked = await send(a, 'delete', `/api-keys/${apiKey.id}`, api.admin.token);
    expect(revoked.status).toBe(204);
    // Delivery over Redis is asynchronous: the very next requests on B are refused within moments,
    // far inside the cache's lifetime.
    const started = Date.now();
    await expect.poll(async () => (await send(b, 'get', '/flows', key)).status, { interval: 10 }).toBe(401);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await send(a, 'get', '/flows', key)).status).toBe(401);
  });

  it('never writes a key, a reset code or the Authorization header to the logs', async () => {
    const [a] = bases as [string, string];
    const editorId = (await editor.call('get', '/me')).body.id as string;
    const reset = await send(a, 'post', `/users/${editorId}/password-reset`, api.admin.token);
    expect(reset.status).toBe(201);
    const { code } = (await reset.json()) as { code: string };
    const redeem = (body: unknown) =>
      fetch(`${a}/auth/password-reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await redeem({ code: `${code}x`, newPassword: 'a brand new password' })).status).toBe(400);
    // Past the wait a wrong code earns this client (1 s): time passing is the behaviour here.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await redeem({ code, newPassword: 'a brand new password' })).status).toBe(204);
    const { key, apiKey } = await makeKey({ name: 'Logged', role: 'viewer' });
    const secret = key.slice(apiKey.prefix.length + 1);
    expect((await send(a, 'get', '/flows', key)).status).toBe(200);
    expect((await send(a, 'get', '/users', key)).status).toBe(403);
    expect((await send(a, 'get', '/flows', `${key.slice(0, -2)}xx`)).status).toBe(401);
    expect((await send(a, 'get', '/no-such-route', key)).status).toBe(404);
    const text = logged.join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(code);
    expect(text.toLowerCase()).not.toContain('bearer');
  });
});
