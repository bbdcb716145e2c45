import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters';

/** Claims as Supabase Auth puts them in an access token of a user whose email is confirmed. */
function supabaseClaims(email: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    email,
    role: 'authenticated',
    aud: 'authenticated',
    user_metadata: { email, email_verified: true },
    ...overrides,
  };
}

/** An HS256 token signed with the project's JWT secret, expiring in 5 minutes unless `exp` is false. */
function hs256(sub: string, claims: JWTPayload, options: { exp?: boolean; secret?: string } = {}) {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub);
  if (options.exp !== false) jwt.setExpirationTime('5m');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

describe('optional Supabase Auth', () => {
  let api: TestApi;
  let jwks: Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    // A stand-in for the Supabase project's published keys.
    jwks = createServer((request, response) => {
      if (request.url === '/auth/v1/.well-known/jwks.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [publicJwk] }));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    api = await startTestApi({
      supabaseJwtSecret: SECRET,
      supabaseUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`,
    });
  });

  afterAll(async () => {
    await api?.close();
    jwks?.close();
  });

  const me = (token: string) => api.call('get', '/me', { token });

  /** A Parley editor (invited, and accepted) not linked to any Supabase user yet. */
  async function member(): Promise<string> {
    const email = `member-${randomUUID().slice(0, 8)}@example.com`;
    await api.join(email, 'long enough password', 'editor');
    return email;
  }

  async function linkOf(email: string): Promise<string | null> {
    const { rows } = await api.db.query<{ supabase_user_id: string | null }>(
      'select supabase_user_id from users where lower(email) = lower($1)',
      [email],
    );
    return rows[0]?.supabase_user_id ?? null;
  }

  it('links a user by verified email once, then knows them by their Supabase id', async () => {
    const email = await member();
    const sub = randomUUID();
    const reply = await me(await hs256(sub, supabaseClaims(email)));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ email, role: 'editor' });
    expect(await linkOf(email)).toBe(sub);
    // The same Supabase user, now without any email claim: found by id.
    expect((await me(await hs256(sub, { role: 'authenticated', aud: 'authenticated' }))).status).toBe(200);
  });

  it('accepts a token signed by the project published keys (JWKS)', async () => {
    const email = await member();
    const token = await new SignJWT(supabaseClaims(email))
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(randomUUID())
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await me(token)).status).toBe(200);
  });

  it('does not link by an email Supabase has not verified', async () => {
    const email = await member();
    const unverified = supabaseClaims(email, { user_metadata: { email, email_verified: false } });
    expect((await me(await hs256(randomUUID(), unverified))).status).toBe(401);
    const silent = supabaseClaims(email, { user_metadata: {} });
    expect((await me(await hs256(randomUUID(), silent))).status).toBe(401);
    expect(await linkOf(email)).toBeNull();
  });

  it('does not let a second Supabase user with the same email take over a linked user', async () => {
    const email = await member();
    const first = randomUUID();
    expect((await me(await hs256(first, supabaseClaims(email)))).status).toBe(200);
    const second = await me(await hs256(randomUUID(), supabaseClaims(email)));
    expect(second.status).toBe(401);
    expect(await linkOf(email)).toBe(first);
  });

  it('maps a linked Supabase user by id, whatever email its token claims', async () => {
    const email = await member();
    const other = await member();
    const sub = randomUUID();
    expect((await me(await hs256(sub, supabaseClaims(email)))).status).toBe(200);
    const reply = await me(await hs256(sub, supabaseClaims(other)));
    expect(reply.status).toBe(200);
    expect(reply.body.email).toBe(email);
    expect(await linkOf(other)).toBeNull();
  });

  it('refuses a token for another audience, without an expiry, or not of an authenticated user', async () => {
    const email = await member();
    const cases = {
      'wrong audience': await hs256(randomUUID(), supabaseClaims(email, { aud: 'someone-else' })),
      'no audience': await hs256(randomUUID(), supabaseClaims(email, { aud: undefined })),
      'no expiry': await hs256(randomUUID(), supabaseClaims(email), { exp: false }),
      'anon role': await hs256(randomUUID(), supabaseClaims(email, { role: 'anon' })),
      'service role': await hs256(randomUUID(), supabaseClaims(email, { role: 'service_role' })),
      'no role': await hs256(randomUUID(), supabaseClaims(email, { role: undefined })),
    };
    const statuses = Object.fromEntries(
      await Promise.all(Object.entries(cases).map(async ([name, token]) => [name, (await me(token)).status])),
    );
    expect(statuses).toEqual(Object.fromEntries(Object.keys(cases).map((name) => [name, 401])));
    expect(await linkOf(email)).toBeNull();
  });

  it('refuses forged, expired and unknown-user tokens', async () => {
    const email = await member();
    const forged = await hs256(randomUUID(), supabaseClaims(email), {
      secret: 'not the project secret, but long enough',
    });
    const expired = await new SignJWT(supabaseClaims(email))
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    const stranger = await hs256(randomUUID(), supabaseClaims('nobody@example.com'));
    for (const token of [forged, expired, stranger]) expect((await me(token)).status).toBe(401);
    expect(await linkOf(email)).toBeNull();
  });
});
