import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { signRequest } from '@parley/db';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { performHttpRequest } from './perform-request.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, received: Received) => void;

const servers: ReturnType<typeof createServer>[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A real server on an ephemeral loopback port that records what it receives. */
async function startServer(handler: Handler, host = '127.0.0.1') {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    received.push(entry);
    handler(req, res, entry);
  });
  server.on('connection', () => connections++);
  servers.push(server);
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const origin = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  return { port, origin, received, connections: () => connections };
}

function json(res: ServerResponse, status: number, value: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));
}

const local = { allowPrivate: true };

function get(url: string, timeoutMs = 5000) {
  return { url, method: 'get', headers: {}, timeoutMs };
}

describe('performHttpRequest against a local server', () => {
  it('parses a JSON response and sends the Parley user agent', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true, n: 1 }));
    const result = await performHttpRequest(get(`${server.origin}/data`), local);
    expect(result).toEqual({ status: 200, body: { ok: true, n: 1 } });
    expect(server.received[0]?.method).toBe('GET');
    expect(server.received[0]?.headers['user-agent']).toBe('Parley/0.1 (+http_request)');
  });

  it('parses +json media types with parameters', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, { a: [1] }, 'application/problem+json; charset=utf-8'),
    );
    expect(await performHttpRequest(get(server.origin), local)).toEqual({ status: 200, body: { a: [1] } });
  });

  it('keeps the text of a JSON response that does not parse', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{nope'),
    );
    expect(await performHttpRequest(get(server.origin), local)).toEqual({ status: 200, body: '{nope' });
  });

  it('returns a text body as a string', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('{"looks":"like json"}'),
    );
    expect(await performHttpRequest(get(server.origin), local)).toEqual({
      status: 200,
      body: '{"looks":"like json"}',
    });
  });

  it('sends a JSON body as application/json', async () => {
    const server = await startServer((_req, res) => json(res, 201, { created: true }));
    const result = await performHttpRequest(
      { url: `${server.origin}/items`, method: 'post', headers: {}, body: '{"name":"Ada"}', timeoutMs: 5000 },
      local,
    );
    expect(result).toEqual({ status: 201, body: { created: true } });
    expect(server.received[0]).toMatchObject({ method: 'POST', url: '/items', body: '{"name":"Ada"}' });
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends a non-JSON body as text/plain', async () => {
    const server = await startServer((_req, res) => res.end());
    await performHttpRequest(
      { url: server.origin, method: 'PUT', headers: {}, body: 'hello', timeoutMs: 5000 },
      local,
    );
    expect(server.received[0]?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(server.received[0]?.body).toBe('hello');
  });

  it('keeps an explicit content-type header whatever its case', async () => {
    const server = await startServer((_req, res) => res.end());
    await performHttpRequest(
      {
        url: server.origin,
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.api+json', 'X-Custom': 'yes' },
        body: '{"a":1}',
        timeoutMs: 5000,
      },
      local,
    );
    expect(server.received[0]?.headers['content-type']).toBe('application/vnd.api+json');
    expect(server.received[0]?.headers['x-custom']).toBe('yes');
  });

  it('sends no body with GET', async () => {
    const server = await startServer((_req, res) => res.end());
    await performHttpRequest({ ...get(server.origin), body: '{"ignored":true}' }, local);
    expect(server.received[0]).toMatchObject({ method: 'GET', body: '' });
    expect(server.received[0]?.headers['content-type']).toBeUndefined();
  });

  it('returns error statuses with their body', async () => {
    const server = await startServer((_req, res) => json(res, 404, { error: 'not found' }));
    expect(await performHttpRequest(get(server.origin), local)).toEqual({
      status: 404,
      body: { error: 'not found' },
    });
  });

  it('follows a chain of 3 redirects', async () => {
    const server = await startServer((req, res) => {
      const hop = Number(req.url?.slice(1));
      if (hop < 3) res.writeHead(302, { location: `/${hop + 1}` }).end();
      else json(res, 200, { hop });
    });
    expect(await performHttpRequest(get(`${server.origin}/0`), local)).toEqual({
      status: 200,
      body: { hop: 3 },
    });
    expect(server.received.map((r) => r.url)).toEqual(['/0', '/1', '/2', '/3']);
  });

  it('refuses a fourth redirect without requesting its target', async () => {
    const server = await startServer((req, res) => {
      const hop = Number(req.url?.slice(1));
      res.writeHead(307, { location: `/${hop + 1}` }).end();
    });
    expect(await performHttpRequest(get(`${server.origin}/0`), local)).toEqual({
      status: 0,
      error: 'too many redirects',
    });
    expect(server.received.map((r) => r.url)).toEqual(['/0', '/1', '/2', '/3']);
  });

  it('turns a POST into a body-less GET on 303', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/submit') res.writeHead(303, { location: '/result' }).end();
      else json(res, 200, { method: req.method });
    });
    const result = await performHttpRequest(
      { url: `${server.origin}/submit`, method: 'POST', headers: {}, body: '{"a":1}', timeoutMs: 5000 },
      local,
    );
    expect(result).toEqual({ status: 200, body: { method: 'GET' } });
    expect(server.received[1]).toMatchObject({ method: 'GET', url: '/result', body: '' });
    expect(server.received[1]?.headers['content-type']).toBeUndefined();
  });

  it('repeats the method and body on 307', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/old') res.writeHead(307, { location: '/new' }).end();
      else res.end();
    });
    await performHttpRequest(
      { url: `${server.origin}/old`, method: 'POST', headers: {}, body: '{"a":1}', timeoutMs: 5000 },
      local,
    );
    expect(server.received[1]).toMatchObject({ method: 'POST', url: '/new', body: '{"a":1}' });
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const other = await startServer((_req, res) => res.end('elsewhere'));
    const server = await startServer((_req, res) => res.writeHead(302, { location: other.origin }).end());
    const result = await performHttpRequest(
      { ...get(server.origin), headers: { Authorization: 'Bearer secret', 'x-trace': '1' } },
      local,
    );
    expect(result).toEqual({ status: 200, body: 'elsewhere' });
    expect(server.received[0]?.headers.authorization).toBe('Bearer secret');
    expect(other.received[0]?.headers.authorization).toBeUndefined();
    expect(other.received[0]?.headers['x-trace']).toBe('1');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const server = await startServer((_req, res) =>
      res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
    );
    const result = await performHttpRequest(get(server.origin), local);
    expect(result).toEqual({ status: 0, error: expect.stringMatching(/^redirect refused: .*file:/) });
  });

  it('times out on a server that never answers', async () => {
    const server = await startServer(() => {});
    const started = Date.now();
    expect(await performHttpRequest(get(server.origin, 200), local)).toEqual({
      status: 0,
      error: 'timed out after 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out while reading a body that never ends', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
    });
    expect(await performHttpRequest(get(server.origin, 300), local)).toEqual({
      status: 0,
      error: 'timed out after 300 ms',
    });
  });

  it('caps the timeout at 60 s', async () => {
    const server = await startServer((_req, res) => res.end());
    const timeout = vi.spyOn(AbortSignal, 'timeout');
    await performHttpRequest(get(server.origin, 600_000), local);
    expect(timeout).toHaveBeenCalledWith(60_000);
  });

  it('cuts off a response over the cap while it is still streaming', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // Endless: only a reader that stops at the cap can finish before the timeout.
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      pump();
    });
    const result = await performHttpRequest(get(server.origin, 10_000), {
      ...local,
      maxResponseBytes: 256 * 1024,
    });
    expect(result).toEqual({ status: 0, error: 'response too large (over 262144 bytes)' });
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('applies the 1 MiB default cap', async () => {
    const server = await startServer((_req, res) => res.end(Buffer.alloc(1024 * 1024 + 1)));
    expect(await performHttpRequest(get(server.origin), local)).toEqual({
      status: 0,
      error: 'response too large (over 1048576 bytes)',
    });
  });

  it('signs the request with a v1 signature over timestamp, method, URL and body', async () => {
    const server = await startServer((_req, res) => res.end());
    const body = '{"order":42}';
    await performHttpRequest(
      { url: `${server.origin}/orders?x=1`, method: 'post', headers: {}, body, timeoutMs: 5000 },
      { ...local, signingSecret: 's3cret', now: () => 1_700_000_000_999 },
    );
    const headers = server.received[0]?.headers ?? {};
    const signed = { timestamp: '1700000000', method: 'POST', url: `${server.origin}/orders?x=1`, body };
    expect(headers['x-parley-timestamp']).toBe('1700000000');
    expect(headers['x-parley-signature']).toBe(signRequest('s3cret', signed));
    expect(headers['x-parley-signature']).not.toBe(signRequest('other', signed));
    expect(headers['x-parley-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('does not sign without a secret', async () => {
    const server = await startServer((_req, res) => res.end());
    await performHttpRequest(get(server.origin), local);
    expect(server.received[0]?.headers['x-parley-signature']).toBeUndefined();
  });

  it('reports a TLS failure in one readable line', async () => {
    const server = await startServer((_req, res) => res.end());
    const result = await performHttpRequest(get(`https://127.0.0.1:${server.port}/`), local);
    expect(result).toEqual({
      status: 0,
      error: `TLS handshake with 127.0.0.1:${server.port} failed: wrong version number`,
    });
  });

  it('reports a refused connection', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    expect(await performHttpRequest(get(`http://127.0.0.1:${port}/`), local)).toEqual({
      status: 0,
      error: `connection refused by 127.0.0.1:${port}`,
    });
  });
});

describe('performHttpRequest input validation', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/x', 'javascript:alert(1)', 'data:text/plain,hi'])(
    'refuses %s',
    async (url) => {
      const result = await performHttpRequest(get(url), local);
      expect(result).toEqual({ status: 0, error: expect.stringMatching(/unsupported URL scheme/) });
    },
  );

  it.each(['not a url', 'http://', 'http://exa mple.com/', ''])('refuses malformed %j', async (url) => {
    const result = await performHttpRequest(get(url), local);
    expect(result).toEqual({ status: 0, error: `invalid URL: ${url}` });
  });

  it('turns invalid requests into errors instead of throwing', async () => {
    const server = await startServer((_req, res) => res.end());
    const results = await Promise.all([
      performHttpRequest({ ...get(server.origin), method: 'GE T' }, local),
      performHttpRequest({ ...get(server.origin), headers: { 'x-injected': 'a\r\nhost: evil' } }, local),
    ]);
    for (const result of results) expect(result).toEqual({ status: 0, error: expect.any(String) });
    expect(server.received).toEqual([]);
  });
});

describe('private-address guard (allowPrivate: false)', () => {
  const guarded = { allowPrivate: false };

  it('refuses a hostname that resolves to loopback, after DNS and before connecting', async () => {
    const server = await startServer((_req, res) => res.end('reached'));
    const result = await performHttpRequest(get(`http://localhost:${server.port}/`), guarded);
    expect(result).toEqual({
      status: 0,
      error: 'The request to 127.0.0.1 was refused: Parley does not call private network addresses',
    });
    expect(server.connections()).toBe(0);
  });

  it('refuses IPv6 loopback', async () => {
    const server = await startServer((_req, res) => res.end('reached'), '::1');
    const result = await performHttpRequest(get(`${server.origin}/`), guarded);
    expect(result).toEqual({
      status: 0,
      error: 'The request to ::1 was refused: Parley does not call private network addresses',
    });
    expect(server.connections()).toBe(0);
  });

  it.each([
    ['http://127.0.0.1:PORT/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]:PORT/', '::ffff:7f00:1'],
    ['http://2130706433:PORT/', '127.0.0.1'],
    ['http://0x7f.1:PORT/', '127.0.0.1'],
    ['http://0177.0.0.1:PORT/', '127.0.0.1'],
  ])('refuses %s without connecting', async (template, address) => {
    const server = await startServer((_req, res) => res.end('reached'));
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const result = await performHttpRequest(get(template.replace('PORT', String(server.port))), guarded);
    expect(result).toEqual({
      status: 0,
      error: `The request to ${address} was refused: Parley does not call private network addresses`,
    });
    expect(connect).not.toHaveBeenCalled();
    expect(server.connections()).toBe(0);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://10.0.0.1/', '10.0.0.1'],
    ['http://192.168.1.1/', '192.168.1.1'],
    ['https://172.16.0.1/', '172.16.0.1'],
    ['http://100.64.0.1/', '100.64.0.1'],
    ['http://[fd00::1]/', 'fd00::1'],
    ['http://[fe80::1]/', 'fe80::1'],
    ['http://0.0.0.0/', '0.0.0.0'],
  ])('refuses %s without sending a packet', async (url, address) => {
    // Fail closed: even a broken guard must not put traffic on the network from this test.
    const connect = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('test attempted a real connection');
    });
    const result = await performHttpRequest(get(url), guarded);
    expect(result).toEqual({
      status: 0,
      error: `The request to ${address} was refused: Parley does not call private network addresses`,
    });
    expect(connect).not.toHaveBeenCalled();
  });
});
