import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPgDb } from '@parley/db';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A newcomer's first hour, exactly as the README says: `npm start` on embedded defaults (and then
 * on real Postgres + Redis), sign in with what it prints, build and publish a flow through the API,
 * run 50 simulated conversations, export the CSV, stop, start again, and find everything still there.
 */

const root = join(import.meta.dirname, '..');
const POSTGRES = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
});

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
  output: () => string;
  base: string;
}

/** `npm start`, waiting for the printed "Parley is running at …" line. */
async function npmStart(env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), PARLEY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so "Ctrl-C" reaches npm and node together, as in a terminal.
    detached: true,
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const started = Date.now();
  while (!output.includes('Parley is running at')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 120_000) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => output, base: `http://localhost:${port}` };
}

/** A command that is expected to refuse: its exit code and what it printed. */
async function refused(command: string, args: string[], env: Record<string, string>) {
  try {
    await promisify(execFile)(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, output: '' };
  } catch (cause) {
    const failed = cause as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: `${failed.stdout}${failed.stderr}` };
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Ctrl-C: every process of the product (npm, node, any browser) must be gone promptly. */
async function stop(started: Started): Promise<boolean> {
  const pid = started.child.pid as number;
  process.kill(-pid, 'SIGINT');
  const deadline = Date.now() + 20_000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  children.delete(started.child);
  if (groupAlive(pid)) {
    process.kill(-pid, 'SIGKILL');
    throw new Error(`npm start did not stop within 20 s of Ctrl-C:\n${started.output()}`);
  }
  return true;
}

async function call(base: string, token: string | null, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // Decoded by hand: Response.text() would drop a byte-order mark, which the CSV export must carry.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, body: json };
}

const flow = {
  schemaVersion: 1,
  name: 'Newcomer survey',
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 0 },
      config: { prompt: 'Your name?', variable: 'name', answer: { type: 'string', minLength: 2 } },
    },
    {
      id: 'n2',
      type: 'question',
      position: { x: 0, y: 150 },
      config: {
        prompt: 'How likely are you to recommend us (0-10)?',
        variable: 'score',
        answer: { type: 'integer', minimum: 0, maximum: 10 },
        ui: { widget: 'rating' },
      },
    },
    { id: 'n3', type: 'end', position: { x: 0, y: 300 }, config: { text: 'Thanks {{name}}!' } },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
  ],
};

async function firstHour(env: Record<string, string>) {
  const first = await npmStart(env);
  const printed = /Sign in as (\S+) with (?:password (\S+)|the password in PARLEY_ADMIN_PASSWORD)/.exec(
    first.output(),
  );
  expect(printed, first.output()).not.toBeNull();
  const email = printed?.[1] as string;
  const password = printed?.[2] ?? (env.PARLEY_ADMIN_PASSWORD as string);
  expect((await fetch(`${first.base}/healthz`)).status).toBe(200);
  expect((await fetch(`${first.base}/`)).headers.get('content-type')).toContain('text/html');

  const login = await call(first.base, null, 'POST', '/auth/login', { email, password });
  expect(login.status).toBe(200);
  const token = login.body.token as string;
  const created = await call(first.base, token, 'POST', '/flows', { name: flow.name, definition: flow });
  expect(created.status).toBe(201);
  const flowId = created.body.id as string;
  expect((await call(first.base, token, 'POST', `/flows/${flowId}/publish`)).body).toEqual({ version: 1 });

  const people = Array.from({ length: 50 }, (_, i) => ({ name: `Person ${i}`, score: i % 11 }));
  await Promise.all(
    people.map(async (person) => {
      const session = await call(first.base, token, 'POST', '/simulator/sessions', { flowId, version: 1 });
      expect(session.status).toBe(201);
      const say = (text: string) =>
        call(first.base, token, 'POST', `/simulator/sessions/${session.body.id}/messages`, { text });
      expect((await say('hi')).body.messages[0].text).toBe('Your name?');
      await say(person.name);
      const done = await say(String(person.score));
      expect(done.body).toMatchObject({
        status: 'completed',
        answers: { name: person.name, score: person.score },
      });
      expect(done.body.messages.map((m: { text: string }) => m.text)).toEqual([`Thanks ${person.name}!`]);
    }),
  );

  const csv = await call(
    first.base,
    token,
    'GET',
    `/flows/${flowId}/responses/export?format=csv&includeTest=true`,
  );
  expect(csv.status).toBe(200);
  const text = csv.body as string;
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = text.slice(1).trim().split(/\r?\n/);
  expect(header?.split(',')).toEqual(expect.arrayContaining(['conversation_id', 'contact', 'name', 'score']));
  expect(rows).toHaveLength(50);
  const columns = (header as string).split(',');
  const names = rows.map((row) => row.split(',')[columns.indexOf('name')]).sort();
  expect(names).toEqual(people.map((p) => p.name).sort());

  expect(await stop(first)).toBe(true);

  const second = await npmStart(env);
  if (env.PARLEY_ADMIN_PASSWORD !== undefined) {
    // Setting the password again is what people try after losing it: the start says why it did nothing.
    expect(second.output()).toContain(
      'PARLEY_ADMIN_PASSWORD is set, but it is only used to create the first admin',
    );
    expect(second.output()).toContain('npx parley admin reset-password EMAIL');
  }
  if (env.DATABASE_URL === undefined) {
    // A second Parley, or the admin command, on the folder a running Parley holds is refused in words.
    const twice = await refused('npm', ['start'], { ...env, PORT: '0' });
    expect(twice.code).toBe(1);
    expect(twice.output).toContain('is in use by another running Parley');
    const reset = await refused('npx', ['parley', 'admin', 'reset-password', email], env);
    expect(reset.code).toBe(1);
    expect(reset.output).toContain('Stop Parley first');
  }
  const again = await call(second.base, null, 'POST', '/auth/login', { email, password });
  expect(again.status).toBe(200);
  const token2 = again.body.token as string;
  const flows = await call(second.base, token2, 'GET', '/flows');
  // The flow, beside the sample draft the workspace started with.
  expect(flows.body.items).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: flowId, name: flow.name, publishedVersion: 1 })]),
  );
  expect(flows.body.items).toHaveLength(2);
  const versions = await call(second.base, token2, 'GET', `/flows/${flowId}/versions`);
  expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([1]);
  const responses = await call(
    second.base,
    token2,
    'GET',
    `/flows/${flowId}/responses?includeTest=true&limit=100`,
  );
  expect(responses.body.items).toHaveLength(50);
  const conversations = await call(second.base, token2, 'GET', '/conversations?includeTest=true&limit=100');
  expect(conversations.body.items.filter((c: { status: string }) => c.status === 'completed')).toHaveLength(
    50,
  );
  expect(await stop(second)).toBe(true);
}

describe('a newcomer running Parley as the README says', () => {
  it('works on embedded defaults and keeps everything across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-newcomer-'));
    try {
      await firstHour({ PARLEY_DATA_DIR: dataDir });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('works the same on real Postgres and Redis', async () => {
    const admin = createPgDb({ connectionString: POSTGRES, max: 1 });
    const name = `parley_newcomer_${randomBytes(5).toString('hex')}`;
    const prefix = `parley-newcomer:${randomBytes(5).toString('hex')}:`;
    await admin.query(`create database ${name}`);
    const url = new URL(POSTGRES);
    url.pathname = `/${name}`;
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-newcomer-'));
    try {
      await firstHour({
        DATABASE_URL: url.toString(),
        REDIS_URL: REDIS,
        PARLEY_REDIS_PREFIX: prefix,
        PARLEY_DATA_DIR: dataDir,
        PARLEY_ADMIN_PASSWORD: 'a newcomer password',
      });
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
      const redis = new Redis(REDIS);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
