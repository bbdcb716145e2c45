import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The local server behind `__PORT__` in scenarios: `/status/<code>` answers with that status, any
 * other path echoes the request as JSON `{ method, path, query, headers, body }`.
 */
export async function startTestServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        // Not JSON: echo the text as it came.
      }
      const status = /^\/status\/(\d{3})$/.exec(url.pathname);
      response.writeHead(status ? Number(status[1]) : 200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          method: request.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: request.headers,
          body,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
