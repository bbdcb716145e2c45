import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signRequest } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performHttpRequest } from './perform-request.js';

type Verify = (
  secret: string,
  request: IncomingMessage,
  rawBody: Buffer,
  origin: string,
  maxAgeSeconds?: number,
) => boolean;

const SECRET = 'a workspace signing secret';

/** The verifier exactly as docs/security.md gives it to receivers: the first js block of its section. */
async function documentedVerifier(dir: string): Promise<Verify> {
  const doc = readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('### Verifying signed requests'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('docs/security.md has no verifier snippet');
  const file = join(dir, 'verifier.mjs');
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)).verifyParleySignature as Verify;
}

describe('http_request signatures, checked by a receiver as documented', () => {
  let dir: string;
  let verify: Verify;
  let origin: string;
  const verdicts: { path: string; valid: boolean; signature: string }[] = [];
  // Verifies with the secret it is given; `/moved` redirects a hop to `/landed` (307 keeps the body).
  let receiverSecret = SECRET;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    verdicts.push({
      path: request.url ?? '',
      valid: verify(receiverSecret, request, Buffer.concat(chunks), origin),
      signature: String(request.headers['x-parley-signature']),
    });
    if (request.url === '/moved') response.writeHead(307, { location: '/landed' }).end();
    else response.end('ok');
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-signature-'));
    verify = await documentedVerifier(dir);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function send(
    path: string,
    options: { method?: string; body?: string; now?: () => number; secret?: string } = {},
  ) {
    verdicts.length = 0;
    const result = await performHttpRequest(
      {
        url: `${origin}${path}`,
        method: options.method ?? 'POST',
        headers: {},
        ...(options.body === undefined ? {} : { body: options.body }),
        timeoutMs: 5_000,
      },
      {
        allowPrivate: true,
        signingSecret: options.secret ?? SECRET,
        ...(options.now ? { now: options.now } : {}),
      },
    );
    expect(result).toMatchObject({ status: 200 });
    return [...verdicts];
  }

  it('signs method, URL, timestamp and body so the documented verifier accepts it', async () => {
    const [verdict] = await send('/hooks/order?source=parley', { body: '{"order":42,"name":"Zoë"}' });
    expect(verdict).toMatchObject({ valid: true });
    expect(verdict?.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    const [get] = await send('/hooks/order', { method: 'GET' });
    expect(get).toMatchObject({ valid: true });
  });

  it('signs each redirect hop for its own URL', async () => {
    const hops = await send('/moved', { body: '{"a":1}' });
    expect(hops.map((hop) => [hop.path, hop.valid])).toEqual([
      ['/moved', true],
      ['/landed', true],
    ]);
  });

  it('is refused with a wrong secret, a stale timestamp, or on another method, URL or body', async () => {
    receiverSecret = 'another secret';
    try {
      expect((await send('/hooks/order', { body: '{}' }))[0]?.valid).toBe(false);
    } finally {
      receiverSecret = SECRET;
    }
    const tenMinutesAgo = () => Date.now() - 600_000;
    expect((await send('/hooks/order', { body: '{}', now: tenMinutesAgo }))[0]?.valid).toBe(false);

    // A signature captured from one request, replayed with something changed.
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = signRequest(SECRET, {
      timestamp,
      method: 'POST',
      url: `${origin}/hooks/order`,
      body: '{}',
    });
    const replay = async (method: string, path: string, body?: string) => {
      verdicts.length = 0;
      await fetch(`${origin}${path}`, {
        method,
        headers: { 'x-parley-timestamp': String(timestamp), 'x-parley-signature': signed },
        ...(body === undefined ? {} : { body }),
      });
      return verdicts[0]?.valid;
    };
    expect(await replay('POST', '/hooks/order', '{}')).toBe(true);
    expect(await replay('PUT', '/hooks/order', '{}')).toBe(false);
    expect(await replay('POST', '/hooks/refund', '{}')).toBe(false);
    expect(await replay('POST', '/hooks/order?x=1', '{}')).toBe(false);
    expect(await replay('POST', '/hooks/order', '{"order":1}')).toBe(false);
  });
});
