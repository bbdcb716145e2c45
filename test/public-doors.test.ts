import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, createTestRedis, seedPublishedFlow } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorRoutes } from '../runtime/src/service/channels/simulator/simulator-routes.js';

/**
 * "One public door": every runtime route, tried from outside in each way Parley starts — `npm start`
 * (start.mjs, one public port) and the standalone runtime (`npm run runtime`) — without credentials
 * and with a wrong token, must be refused without giving away an identifier. With the right token
 * the runtime's own port works, and never injects on a WhatsApp number.
 */

const root = join(import.meta.dirname, '..');
const INTERNAL = 'doors-internal-token-0123456789abcdef';
const METRICS = 'doors-metrics-token-0123456789abcdef';
const WRONG = 'doors-wrong-token-0123456789abcdefgh';
const CONTACT = '+15557770001';
const children = new Set<ChildProcess>();

const flow = {
  schemaVersion: 1,
  name: 'Doors',
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [{ id: 'n1', type: 'end', position: { x: 0, y: 0 }, config: { text: 'Hello' } }],
  edges: [],
};

/** Every route of the runtime's simulator channel, read from its router so a new route is tried too. */
const simulatorEndpoints = simulatorRoutes({} as never).stack.flatMap((layer) =>
  layer.route === undefined
    ? []
    : Object.keys((layer.route as unknown as { methods: Record<string, boolean> }).methods).map((method) => ({
        method: method.toUpperCase(),
        path: layer.route?.path as string,
      })),
);

function urlOf(path: string, numberId: string): string {
  return path.replace(':numberId', numberId).replace(':contact', encodeURIComponent(CONTACT));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

interface Started {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Runs `node <script>` and waits until `/healthz` answers (or the process exits). */
async function startNode(script: string, env: Record<string, string>, port: number): Promise<Started> {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, PARLEY_LOG_LEVEL: 'warn', PARLEY_WHATSAPP: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${script} did not answer /healthz:\n${output}`);
    const up = await fetch(`${base}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { child, base, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopNode(started: Started): Promise<void> {
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  started.child.kill('SIGTERM');
  await exited;
  children.delete(started.child);
}

/** One request; a stream's body is read for a moment only, then cut. */
async function call(base: string, method: string, path: string, token?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' ? { body: JSON.stringify({ contact: CONTACT, text: 'hi' }) } : {}),
    signal: AbortSignal.timeout(5_000),
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('text/event-stream') ? '' : await response.text();
  if (type.includes('text/event-stream')) await response.body?.cancel();
  return { status: response.status, type, body };
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('the runtime behind one public door', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: Awaited<ReturnType<typeof createTestRedis>>;
  let dataDir: string;
  let simulatorNumber: { workspaceId: string; numberId: string };
  let whatsappNumber: { workspaceId: string; numberId: string };
  let identifiers: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    redis = await createTestRedis();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-doors-'));
    simulatorNumber = await seedPublishedFlow(database.db, flow, 'simulator');
    whatsappNumber = await seedPublishedFlow(database.db, flow, 'whatsapp');
    identifiers = [
      simulatorNumber.numberId,
      simulatorNumber.workspaceId,
      whatsappNumber.numberId,
      whatsappNumber.workspaceId,
      CONTACT,
    ];
  });

  afterAll(async () => {
    await redis?.cleanup();
    await database?.drop();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  const infrastructure = () => ({
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    PARLEY_REDIS_PREFIX: redis.prefix,
    PARLEY_DATA_DIR: dataDir,
  });

  function expectNoIdentifiers(body: string): void {
    for (const id of identifiers) expect(body).not.toContain(id);
  }

  /** /healthz public, /readyz only ready or not, /metrics refused — without a token or with a wrong one. */
  async function expectOpsClosed(base: string): Promise<void> {
    expect((await call(base, 'GET', '/healthz')).status).toBe(200);
    for (const token of [undefined, WRONG]) {
      const ready = await call(base, 'GET', '/readyz', token);
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: 'ready' });
      const metrics = await call(base, 'GET', '/metrics', token);
      expect(metrics.status).toBe(401);
      expect(JSON.parse(metrics.body).error.message).toContain('PARLEY_METRICS_TOKEN');
      expectNoIdentifiers(metrics.body);
    }
  }

  /** /readyz details and /metrics with the metrics token. */
  async function expectOpsOpenTo(base: string, token: string): Promise<void> {
    const ready = await call(base, 'GET', '/readyz', token);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', checks: { postgres: { ok: true } } });
    const metrics = await call(base, 'GET', '/metrics', token);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('parley_inbound_messages_total');
  }

  it('serves no runtime route on the public port of `npm start`, whatever the token', async () => {
    const port = await freePort();
    const started = await startNode(
      'start.mjs',
      {
        ...infrastructure(),
        PORT: String(port),
        PARLEY_INTERNAL_TOKEN: INTERNAL,
        PARLEY_METRICS_TOKEN: METRICS,
        PARLEY_ADMIN_PASSWORD: 'a doors test password',
      },
      port,
    );
    try {
      // A GET the UI does not know gets the UI's own page (its client-side "not found"), nothing else.
      const shell = (await call(started.base, 'GET', '/')).body;
      expect(simulatorEndpoints.length).toBeGreaterThanOrEqual(4);
      for (const { method, path } of simulatorEndpoints) {
        for (const token of [undefined, WRONG, INTERNAL]) {
          for (const number of [simulatorNumber, whatsappNumber]) {
            const answer = await call(started.base, method, urlOf(path, number.numberId), token);
            const what = `${method} ${path} with ${token ?? 'no token'}: ${answer.status} ${answer.body}`;
            if (method === 'GET') expect(answer.body, what).toBe(shell);
            else expect(JSON.parse(answer.body).error.code, what).toBe('not_found');
            expect(answer.status, what).toBe(method === 'GET' ? 200 : 404);
            expect(answer.type, what).not.toContain('event-stream');
          }
        }
      }
      await expectOpsClosed(started.base);
      await expectOpsOpenTo(started.base, METRICS);
      const { rows } = await database.db.query('select 1 from messages');
      expect(rows).toEqual([]);
    } finally {
      await stopNode(started);
    }
  }, 120_000);

  it('refuses every route of the standalone runtime without the internal token', async () => {
    const port = await freePort();
    const started = await startNode(
      'runtime/dist/service/main.js',
      {
        ...infrastructure(),
        PARLEY_RUNTIME_PORT: String(port),
        PARLEY_INTERNAL_TOKEN: INTERNAL,
        PARLEY_METRICS_TOKEN: METRICS,
      },
      port,
    );
    try {
      for (const { method, path } of simulatorEndpoints) {
        for (const token of [undefined, WRONG, METRICS]) {
          const answer = await call(started.base, method, urlOf(path, simulatorNumber.numberId), token);
          const what = `${method} ${path} with ${token ?? 'no token'}`;
          expect(answer.status, what).toBe(401);
          expect(JSON.parse(answer.body).error.message, what).toContain('PARLEY_INTERNAL_TOKEN');
          expectNoIdentifiers(answer.body);
        }
      }
      await expectOpsClosed(started.base);
      await expectOpsOpenTo(started.base, METRICS);
      await expectOpsOpenTo(started.base, INTERNAL);

      // The right token opens the simulator channel of a simulator number…
      for (const { method, path } of simulatorEndpoints) {
        const answer = await call(started.base, method, urlOf(path, simulatorNumber.numberId), INTERNAL);
        expect(answer.status, `${method} ${path}`).toBe(method === 'POST' ? 202 : 200);
      }
      // …and never injects on, or reads from, a WhatsApp number.
      for (const { method, path } of simulatorEndpoints) {
        const answer = await call(started.base, method, urlOf(path, whatsappNumber.numberId), INTERNAL);
        expect(answer.status, `${method} ${path}`).toBe(409);
        expect(JSON.parse(answer.body).error.message).toBe(
          'This is a WhatsApp number: the simulator only talks to simulator numbers.',
        );
      }
      const { rows } = await database.db.query<{ number_id: string }>(
        'select distinct number_id from messages',
      );
      expect(rows).toEqual([{ number_id: simulatorNumber.numberId }]);
    } finally {
      await stopNode(started);
    }
  }, 120_000);

  it('turns the endpoints off, with what to set, when the standalone runtime has no tokens', async () => {
    const port = await freePort();
    const started = await startNode(
      'runtime/dist/service/main.js',
      { ...infrastructure(), PARLEY_RUNTIME_PORT: String(port) },
      port,
    );
    try {
      for (const { method, path } of simulatorEndpoints) {
        const answer = await call(started.base, method, urlOf(path, simulatorNumber.numberId), WRONG);
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(JSON.parse(answer.body).error.message).toBe(
          'The simulator endpoints are off: set PARLEY_INTERNAL_TOKEN and send it as "Authorization: Bearer <token>".',
        );
      }
      const metrics = await call(started.base, 'GET', '/metrics');
      expect(metrics.status).toBe(403);
      expect(JSON.parse(metrics.body).error.message).toBe(
        'Metrics are off: set PARLEY_METRICS_TOKEN and send it as "Authorization: Bearer <token>".',
      );
      expect(JSON.parse((await call(started.base, 'GET', '/readyz', WRONG)).body)).toEqual({
        status: 'ready',
      });
    } finally {
      await stopNode(started);
    }
  }, 120_000);

  it('refuses to start the runtime on a reachable interface without an internal token', async () => {
    const child = spawn(process.execPath, ['runtime/dist/service/main.js'], {
      cwd: root,
      env: {
        ...process.env,
        ...infrastructure(),
        PARLEY_WHATSAPP: '0',
        PARLEY_RUNTIME_PORT: String(await freePort()),
        PARLEY_RUNTIME_HOST: '0.0.0.0',
        PARLEY_INTERNAL_TOKEN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    children.delete(child);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'parley runtime could not start: PARLEY_RUNTIME_HOST is 0.0.0.0, which other machines can reach: set PARLEY_INTERNAL_TOKEN',
    );
  });
});
