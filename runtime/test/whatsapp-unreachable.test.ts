import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalAuth } from './support/internal-token.js';
import { freePort, killAllRuntimes, RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import {
  killEverythingUnder,
  killOnExit,
  processesUnder,
  SessionWatch,
  until,
  whatsappEnv,
} from './support/whatsapp-processes.js';
import { WhatsAppStandin } from './whatsapp-standin/standin.js';

// A number connected on a machine that cannot reach WhatsApp Web, in a real runtime process with
// the real whatsapp-web.js Client and Chromium against the stand-in: no browser is launched, each
// attempt tells the admin why, and after PARLEY_WA_MAX_ATTEMPTS the number is `failed` with the
// reason (not reconnecting forever). Once WhatsApp Web is back, "Try again" links it. Without
// Chromium, the number fails at once with that reason.

const MAX_ATTEMPTS = 3;
// Long enough for a browser to start on a loaded machine.
const READY_TIMEOUT_S = 30;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let standin: WhatsAppStandin;
let watch: SessionWatch;
let dir: string | undefined;
let numberId: string;
let runtime: RuntimeProcess;
killOnExit(() => dir);

const dataDir = () => join(dir as string, 'host');
const logs = () => `--- runtime ---\n${runtime?.logTail(Number(process.env.WA_TEST_LOG_LINES ?? 40))}`;

async function numberRow() {
  const { rows } = await database.db.query<{
    state: string;
    state_reason: Record<string, unknown> | null;
    desired_connected: boolean;
  }>('select state, state_reason, desired_connected from numbers where id = $1', [numberId]);
  return rows[0];
}

/** What /readyz (with a token) says of the number: driven now, or stopped by this runtime. */
async function readyzOf(): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${runtime.base}/readyz`, {
    headers: internalAuth,
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as {
    checks: { whatsapp: { detail: Record<string, Record<string, Record<string, unknown>>> } };
  };
  const { numbers, stopped } = body.checks.whatsapp.detail;
  return numbers?.[numberId] ?? stopped?.[numberId];
}

async function startRuntime(extra: Record<string, string> = {}): Promise<RuntimeProcess> {
  return RuntimeProcess.start({
    databaseUrl: database.url,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    port: await freePort(),
    env: whatsappEnv({
      dataDir: dataDir(),
      webVersion: standin.webVersion,
      cacheDir: standin.cacheDir,
      checkUrl: standin.url,
      extra: {
        PARLEY_WA_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
        PARLEY_WA_CHECK_TIMEOUT_MS: '2000',
        PARLEY_WA_READY_TIMEOUT_S: String(READY_TIMEOUT_S),
        ...extra,
      },
    }),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await createTestRedis();
  standin = await WhatsAppStandin.start();
  dir = await mkdtemp(join(tmpdir(), 'parley-wa-unreachable-'));
  ({ numberId } = await seedPublishedFlow(database.db, { schemaVersion: 1 }, 'whatsapp'));
  watch = await SessionWatch.start(redis.prefix, [numberId]);
}, 120_000);

afterAll(async () => {
  await killAllRuntimes();
  if (dir !== undefined) killEverythingUnder(dir);
  await watch?.close();
  await standin?.close();
  await redis?.cleanup();
  await database?.drop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.skipIf(process.platform !== 'linux')('a number whose WhatsApp Web is unreachable', () => {
  it('fails with the reason after the bounded attempts, launching no browser', async () => {
    await standin.goOffline();
    await database.db.query('update numbers set desired_connected = true where id = $1', [numberId]);
    const started = Date.now();
    runtime = await startRuntime();
    let browsers = 0;
    const failed = await until(
      () => {
        browsers += processesUnder(dataDir()).length;
        return watch.of(numberId).find((u) => u.state === 'failed');
      },
      'failed',
      // The bound: three checks (refused at once) and two backoffs of at most 2 s.
      30_000,
      logs,
    );
    expect(browsers).toBe(0);
    const port = new URL(standin.url).port;
    expect(failed.reason).toEqual({
      code: 'web_unreachable',
      message: 'The server cannot reach WhatsApp Web.',
      nextStep: expect.stringMatching(/then press Try again\.$/),
      detail: `127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
      attempt: MAX_ATTEMPTS,
      maxAttempts: MAX_ATTEMPTS,
    });
    // Every attempt reached the admin, with when the next one starts.
    const attempts = watch.of(numberId).filter((u) => u.reason?.code === 'web_unreachable');
    expect(attempts.map((u) => [u.state, u.reason?.attempt])).toEqual([
      ['reconnecting', 1],
      ['reconnecting', 2],
      ['failed', 3],
    ]);
    expect(attempts[0]?.reason?.retryAt).toEqual(expect.any(String));
    expect(watch.states(numberId)).toEqual(['starting', 'reconnecting', 'failed']);
    console.info(`unreachable: failed after ${MAX_ATTEMPTS} attempts in ${Date.now() - started} ms`);

    // The numbers page (the row), the event stream (the bus) and /readyz say the same.
    const row = await until(async () => {
      const current = await numberRow();
      return current?.desired_connected === false ? current : undefined;
    }, 'desired_connected cleared');
    expect(row).toEqual({ state: 'failed', state_reason: failed.reason, desired_connected: false });
    expect(await readyzOf()).toMatchObject({ state: 'failed', reason: failed.reason });
    const { rows } = await database.db.query<{ state: string; code: string }>(
      `select state, detail->'reason'->>'code' as code from session_events where number_id = $1 order by id`,
      [numberId],
    );
    expect(rows).toEqual([
      { state: 'starting', code: null },
      { state: 'reconnecting', code: 'web_unreachable' },
      { state: 'reconnecting', code: 'web_unreachable' },
      { state: 'failed', code: 'web_unreachable' },
    ]);

    // Nothing restarts it by itself: several scans (every 500 ms) pass without a new attempt.
    const settled = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(watch.of(numberId, settled)).toEqual([]);
    expect((await numberRow())?.state).toBe('failed');
  }, 120_000);

  it('links with "Try again" once WhatsApp Web is reachable', async () => {
    await standin.goOnline();
    const since = Date.now();
    // What the API's connect route sends (Try again is the connect action).
    await watch.command({ numberId, command: 'connect' });
    const qr = await watch.waitFor(numberId, (u) => u.qr !== undefined, 'a QR code', {
      since,
      ms: READY_TIMEOUT_S * 1000,
    });
    expect(qr).toMatchObject({ state: 'qr_pending', reason: null });
    await standin.scanQr();
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected', { since, ms: 30_000 });
    expect(watch.states(numberId, since)).toEqual(['starting', 'qr_pending', 'connected']);
    expect(await numberRow()).toEqual({ state: 'connected', state_reason: null, desired_connected: true });
    expect(await readyzOf()).toMatchObject({ state: 'connected', reason: null });

    expect(await runtime.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(processesUnder(dir as string)).toEqual([]);
  }, 120_000);

  it('fails at once, saying Chromium is missing, when there is no browser to launch', async () => {
    const since = Date.now();
    runtime = await startRuntime({ PARLEY_CHROMIUM_PATH: join(dir as string, 'no-chromium-here') });
    const failed = await watch.waitFor(numberId, (u) => u.state === 'failed', 'failed', {
      since,
      ms: 30_000,
    });
    expect(failed.reason).toMatchObject({
      code: 'browser_missing',
      message: 'Chromium, the browser that runs WhatsApp Web, is not installed on the server.',
      nextStep: expect.stringMatching(/PARLEY_CHROMIUM_PATH.*then press Try again\.$/),
      detail: expect.stringContaining('no-chromium-here'),
    });
    // No retry can bring a browser that is not there.
    expect(watch.of(numberId, since).filter((u) => u.state === 'reconnecting')).toEqual([]);
    expect((await numberRow())?.state_reason).toEqual(failed.reason);
    expect(await runtime.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  }, 120_000);
});
