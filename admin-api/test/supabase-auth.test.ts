import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters';

describe('optional Supabase Auth', () => {
  let api: TestApi;
  let jwks: Server;
  let privateKey: CryptoKey;
  let memberEmail: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey as CryptoKey;
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
    memberEmail = `member-${randomUUID().slice(0, 8)}@example.com`;
    await api.join(memberEmail, 'long enough password', 'editor');
  });

  afterAll(async () => {
    await api?.close();
    jwks?.close();
  });

  const me = (token: string) => api.call('get', '/me', { token });

  it('accepts a token signed with the project JWT secret and maps it to the user by email', async () => {
    const token = await new SignJWT({ email: memberEmail, role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    const reply = await me(token);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ email: memberEmail, role: 'editor' });
  });

  it('accepts a token signed by the project published keys (JWKS)', async () => {
    const token = await new SignJWT({ email: memberEmail })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(randomUUID())
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await me(token)).status).toBe(200);
  });

  it('refuses forged, expired and unknown-user tokens', async () => {
    const forged = await new SignJWT({ email: memberEmail })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('not the project secret, but long enough'));
    const expired = await new SignJWT({ email: memberEmail })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    const stranger = await new SignJWT({ email: 'nobody@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    for (const token of [forged, expired, stranger]) expect((await me(token)).status).toBe(401);
  });
});
