import { createServer } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { reachabilityError, wordsOfNetworkError } from './reachability.js';

const fetchFailed = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

describe('wordsOfNetworkError', () => {
  const url = 'https://web.whatsapp.com/';
  it('says what went wrong in words, keeping the code', () => {
    expect(wordsOfNetworkError(fetchFailed('ENOTFOUND'), url, 5000)).toBe(
      'the name web.whatsapp.com could not be found (DNS) (ENOTFOUND)',
    );
    expect(wordsOfNetworkError(fetchFailed('ECONNREFUSED'), url, 5000)).toBe(
      'web.whatsapp.com refused the connection (ECONNREFUSED)',
    );
    expect(wordsOfNetworkError(fetchFailed('SELF_SIGNED_CERT_IN_CHAIN'), url, 5000)).toMatch(
      /certificate of web.whatsapp.com is not trusted \(a proxy in the way\?\)/,
    );
    expect(wordsOfNetworkError(new DOMException('timed out', 'TimeoutError'), url, 5000)).toBe(
      'web.whatsapp.com did not answer within 5 s',
    );
    expect(wordsOfNetworkError(fetchFailed('EWEIRD'), url, 5000)).toBe(
      'web.whatsapp.com could not be reached: EWEIRD (EWEIRD)',
    );
  });
});

describe('reachabilityError', () => {
  it('is null when anything answers, and says why when nothing does', async () => {
    const server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect(await reachabilityError(url, 2000)).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await reachabilityError(url, 2000)).toMatch(/refused the connection \(ECONNREFUSED\)/);
  });

  it('ends early when the number is stopped, instead of waiting for its timeout', async () => {
    const sockets: Socket[] = [];
    let accepted: () => void = () => undefined;
    const connected = new Promise<void>((resolve) => {
      accepted = resolve;
    });
    // Accepts and never answers: the check would wait its whole timeout.
    const server = createTcpServer((socket) => {
      sockets.push(socket);
      accepted();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const stop = new AbortController();
      const started = Date.now();
      const check = reachabilityError(url, 60_000, stop.signal);
      await connected;
      stop.abort();
      expect(await check).toMatch(/did not answer/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
