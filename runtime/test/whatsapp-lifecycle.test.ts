import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, killAllRuntimes, RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import {
  browsersUnder,
  killEverythingUnder,
  killOnExit,
  processesUnder,
  SessionWatch,
  sentTo,
  until,
  waitForSentCount,
  whatsappEnv,
} from './support/whatsapp-processes.js';
import { killProcessesMentioning } from './whatsapp-standin/client-harness.js';
import { WhatsAppStandin } from './whatsapp-standin/standin.js';

// One number's whole life in a real runtime process (`node runtime/dist/service/main.js`), through
// the real whatsapp-web.js Client in a real Chromium against the stand-in: QR link, a flow with a
// numbered list and a poll, receipts, the connection dropping, the browser killed, WhatsApp Web
// never becoming ready, a logout on the phone, a pairing-code link, memory metrics and a restart
// over the memory ceiling — each time checking that the conversations go on.

const lifecycleFlow = {
  schemaVersion: 1,
  name: 'Lifecycle',
  settings: { sessionTimeoutMinutes: 30, fallbackText: 'Sorry, something went wrong.' },
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 0 },
      config: { prompt: "What's your name?", variable: 'name', answer: { type: 'string', minLength: 1 } },
    },
    {
      id: 'n2',
      type: 'question',
      position: { x: 0, y: 140 },
      config: {
        prompt: 'Pick a plan',
        variable: 'plan',
        answer: { type: 'string', enum: ['basic', 'pro'] },
        choices: [
          { id: 'c1', label: 'Basic', value: 'basic' },
          { id: 'c2', label: 'Pro', value: 'pro' },
        ],
      },
    },
    {
      id: 'n3',
      type: 'question',
      position: { x: 0, y: 280 },
      config: {
        prompt: 'Which size?',
        variable: 'size',
        answer: { type: 'string', enum: ['small', 'large'] },
        choices: [
          { id: 's', label: 'Small', value: 'small' },
          { id: 'l', label: 'Large', value: 'large' },
        ],
        render: 'poll',
      },
    },
    {
      id: 'n4',
      type: 'end',
      position: { x: 0, y: 420 },
      config: { text: 'Thanks {{name}}: {{plan}}, {{size}}.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
  ],
};

const ASK_NAME = "What's your name?";
const ASK_PLAN = 'Pick a plan\n\n1. Basic\n2. Pro';
const ASK_SIZE = 'poll: Which size? [Small | Large]';
// Long enough for a browser to start on a loaded machine, short enough to catch a stalled one.
const READY_TIMEOUT_S = 15;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let standin: WhatsAppStandin;
let watch: SessionWatch;
let dir: string | undefined;
let numberId: string;
let runtime: RuntimeProcess;
killOnExit(() => dir);

const dataDir = () => join(dir as string, 'host');
const profileDir = () => join(dataDir(), 'whatsapp', 'profiles', `session-${numberId}`);
// WA_TEST_LOG_LINES=300 shows more of the runtime's log when a step fails.
const logs = () => `--- runtime ---\n${runtime?.logTail(Number(process.env.WA_TEST_LOG_LINES ?? 40))}`;

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
        PARLEY_WA_READY_TIMEOUT_S: String(READY_TIMEOUT_S),
        PARLEY_WA_MEMORY_CHECK_S: '1',
        PARLEY_WA_POLL_SETTLE_MS: '300',
        ...extra,
      },
    }),
  });
}

/** What the stand-in's phone sent to a contact since the account began. */
const sent = (contact: string) => sentTo(standin, contact);

async function outStatus(waMessageId: string): Promise<string | undefined> {
  const { rows } = await database.db.query<{ status: string }>(
    `select status from messages where direction = 'out' and wa_message_id = $1`,
    [waMessageId],
  );
  return rows[0]?.status;
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await createTestRedis();
  standin = await WhatsAppStandin.start();
  dir = await mkdtemp(join(tmpdir(), 'parley-wa-lifecycle-'));
  ({ numberId } = await seedPublishedFlow(database.db, lifecycleFlow, 'whatsapp'));
  await database.db.query('update numbers set desired_connected = true where id = $1', [numberId]);
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

describe.skipIf(process.platform !== 'linux')('a WhatsApp number’s lifecycle in a runtime process', () => {
  it('links by QR: a QR code is published as a data URL, scanned, then connected', async () => {
    const started = Date.now();
    runtime = await startRuntime();
    const qr = await watch.waitFor(numberId, (u) => u.qr !== undefined, 'a QR code');
    expect(qr).toMatchObject({ state: 'qr_pending', qr: expect.stringMatching(/^data:image\/png;base64,/) });
    await standin.scanQr();
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected');
    expect(watch.states(numberId)).toEqual(['starting', 'qr_pending', 'connected']);
    const { rows } = await database.db.query<{ state: string }>(
      'select state from session_events where number_id = $1 order by id',
      [numberId],
    );
    expect(rows.map((row) => row.state)).toEqual(['starting', 'qr_pending', 'connected']);
    // The QR code is a login secret: published, never stored.
    const { rows: leaked } = await database.db.query(
      `select 1 from session_events where number_id = $1 and detail::text like '%data:image%'`,
      [numberId],
    );
    expect(leaked).toEqual([]);
    console.info(`lifecycle: linked by QR in ${Date.now() - started} ms (runtime start included)`);
  }, 120_000);

  it('answers with a numbered list and a poll, takes the vote, and records delivery receipts', async () => {
    const ann = '+15553000001';
    await standin.receiveText(ann, 'hi', { pushname: 'Ann' });
    await waitForSentCount(standin, ann, 1, 30_000, logs);
    await standin.receiveText(ann, 'Ann');
    await waitForSentCount(standin, ann, 2, 30_000, logs);
    await standin.receiveText(ann, '2');
    await waitForSentCount(standin, ann, 3, 30_000, logs);
    expect(sent(ann)).toEqual([ASK_NAME, ASK_PLAN, ASK_SIZE]);
    const poll = standin.sent().find((m) => m.poll !== undefined);
    expect(poll?.poll).toEqual({
      name: 'Which size?',
      options: ['Small', 'Large'],
      allowMultipleAnswers: false,
    });
    await standin.votePoll((poll as { id: string }).id, ann, ['Large']);
    await waitForSentCount(standin, ann, 4, 30_000, logs);
    expect(sent(ann)).toEqual([ASK_NAME, ASK_PLAN, ASK_SIZE, 'Thanks Ann: pro, large.']);
    const { rows } = await database.db.query('select answers from responses');
    expect(rows).toEqual([{ answers: { name: 'Ann', plan: 'pro', size: 'large' } }]);

    // Receipts: delivered (2) and read (3) become the outbound messages' statuses.
    const [askName, askPlan] = standin.sent().filter((m) => m.chatId === '15553000001@c.us');
    await until(
      async () => (await outStatus((askName as { id: string }).id)) === 'sent',
      'the send recorded',
    );
    await standin.ack((askName as { id: string }).id, 2);
    await standin.ack((askPlan as { id: string }).id, 3);
    await until(async () => (await outStatus((askName as { id: string }).id)) === 'delivered', 'delivered');
    await until(async () => (await outStatus((askPlan as { id: string }).id)) === 'read', 'read');
  }, 120_000);

  it('reports the browser’s memory on /metrics', async () => {
    const labels = `number="${numberId}",kind="pss"`;
    const pss = await until(async () => {
      const value = await runtime.metric('parley_whatsapp_memory_bytes', labels);
      return value > 0 ? value : undefined;
    }, 'a memory measurement');
    expect(pss).toBeGreaterThan(10 * 1024 * 1024);
    expect(await runtime.metric('parley_whatsapp_state', `number="${numberId}",state="connected"`)).toBe(1);
    console.info(`lifecycle: browser PSS ${Math.round(pss / 1048576)} MB`);
  }, 120_000);

  it('shows a dropped connection as reconnecting, and connected again when it is back', async () => {
    const since = Date.now();
    await standin.disconnect();
    await watch.waitFor(numberId, (u) => u.state === 'reconnecting', 'reconnecting', { since });
    // A contact writes meanwhile: WhatsApp holds it until the link is back.
    const bob = '+15553000002';
    await standin.receiveText(bob, 'hi');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sent(bob)).toEqual([]);
    await standin.reconnect();
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected again', { since });
    expect(watch.states(numberId, since)).toEqual(['reconnecting', 'connected']);
    expect(await waitForSentCount(standin, bob, 1, 30_000, logs)).toEqual([ASK_NAME]);
  }, 120_000);

  it('restarts a browser that was killed, and its conversation goes on', async () => {
    const bob = '+15553000002';
    // Killed before Chromium wrote the login to disk (~5 s after linking), a browser needs a new QR
    // (docs: "linked moments before a crash"): wait for the first backup, which comes later.
    await until(
      async () => {
        const { rows } = await database.db.query('select 1 from whatsapp_sessions where number_id = $1', [
          numberId,
        ]);
        return rows.length === 1;
      },
      'the first session backup',
      20_000,
    );
    const [browser] = browsersUnder(profileDir());
    expect(browser).toBeDefined();
    const since = Date.now();
    expect(killProcessesMentioning(profileDir())).toBeGreaterThan(1);
    await watch.waitFor(numberId, (u) => u.state === 'reconnecting', 'reconnecting', { since });
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected again', { since, ms: 30_000 });
    const restartedIn = Date.now() - since;
    expect(watch.of(numberId, since).find((u) => u.state === 'reconnecting')?.detail).toMatch(
      /BROWSER_CLOSED|PAGE_CRASHED/,
    );
    expect(watch.of(numberId, since).some((u) => u.state === 'qr_pending')).toBe(false);
    const now = browsersUnder(profileDir());
    expect(now).toHaveLength(1);
    expect(now[0]?.pid).not.toBe(browser?.pid);
    await standin.receiveText(bob, 'Bob');
    await waitForSentCount(standin, bob, 2, 30_000, logs);
    expect(sent(bob)).toEqual([ASK_NAME, ASK_PLAN]);
    console.info(`lifecycle: killed browser restarted and connected in ${restartedIn} ms`);
  }, 120_000);

  it('restarts WhatsApp Web that never becomes ready, after the ready timeout', async () => {
    const bob = '+15553000002';
    standin.setReadyMode('stall-after-auth');
    const since = Date.now();
    let timedOut: Awaited<ReturnType<typeof watch.waitFor>>;
    try {
      // Another WhatsApp Web took over: the client closes, and the next one stalls after login.
      await standin.conflict();
      await watch.waitFor(numberId, (u) => u.detail?.includes('CONFLICT') === true, 'the conflict', {
        since,
      });
      await standin.reconnect(); // the server side of the link is up again for the next page
      timedOut = await watch.waitFor(
        numberId,
        (u) => u.state === 'reconnecting' && /did not become ready/.test(u.detail ?? ''),
        'the ready timeout',
        { since, ms: READY_TIMEOUT_S * 1000 + 15_000 },
      );
    } finally {
      // The tests after this one need WhatsApp Web that becomes ready, whatever happened here.
      standin.setReadyMode('normal');
    }
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected again', {
      since: timedOut.at,
      ms: 30_000,
    });
    expect(watch.of(numberId, since).some((u) => u.state === 'qr_pending')).toBe(false);
    await standin.receiveText(bob, '1');
    await waitForSentCount(standin, bob, 3, 30_000, logs);
    expect(sent(bob)).toEqual([ASK_NAME, ASK_PLAN, ASK_SIZE]);
    console.info(`lifecycle: stalled WhatsApp Web caught and restarted in ${Date.now() - since} ms`);
  }, 120_000);

  it('ends in logged_out when the phone unlinks the device', async () => {
    const since = Date.now();
    await standin.logoutFromPhone();
    const out = await watch.waitFor(numberId, (u) => u.state === 'logged_out', 'logged_out', { since });
    expect(out.detail).toMatch(/LOGOUT/);
    await until(async () => {
      const { rows } = await database.db.query<{ desired_connected: boolean }>(
        'select desired_connected from numbers where id = $1',
        [numberId],
      );
      return rows[0]?.desired_connected === false;
    }, 'desired_connected cleared');
    const { rows } = await database.db.query('select 1 from whatsapp_sessions where number_id = $1', [
      numberId,
    ]);
    expect(rows).toEqual([]);
    await until(() => processesUnder(profileDir()).length === 0, 'the browser closed', 10_000);
    // whatsapp-web.js re-injects into the page the logout reloads while the runtime closes the
    // browser: that rejection must not take the runtime (and its other numbers) down.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(runtime.running).toBe(true);
    const ignored = await runtime.metric('parley_errors_total', 'kind="whatsapp_background"');
    console.info(`lifecycle: logged out; ${ignored} background whatsapp-web.js failures ignored`);
  }, 120_000);

  it('links again with a pairing code', async () => {
    const since = Date.now();
    await watch.command({ numberId, command: 'connect', method: 'pairing_code', phone: `+${standin.me}` });
    const offered = await watch.waitFor(numberId, (u) => u.pairingCode !== undefined, 'a pairing code', {
      since,
    });
    const request = standin.pairingRequests().at(-1);
    expect(request).toMatchObject({ phoneNumber: standin.me, code: offered.pairingCode });
    expect(offered.qr).toBeUndefined();
    await standin.confirmPairingCode(offered.pairingCode);
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected', { since });
    expect(watch.states(numberId, since)).toEqual(['starting', 'qr_pending', 'connected']);
    // Bob's conversation outlived the logout (it is the number's, not the device's).
    const bob = '+15553000002';
    const [pollOfBob] = standin.sent().filter((m) => m.chatId === '15553000002@c.us' && m.poll !== undefined);
    await standin.votePoll((pollOfBob as { id: string }).id, bob, ['Small']);
    await waitForSentCount(standin, bob, 4, 30_000, logs);
    expect(sent(bob)).toEqual([ASK_NAME, ASK_PLAN, ASK_SIZE, 'Thanks Bob: basic, small.']);
  }, 120_000);

  it('restarts a browser over the memory ceiling without losing the conversation', async () => {
    const cy = '+15553000003';
    await standin.receiveText(cy, 'hi');
    await waitForSentCount(standin, cy, 1, 30_000, logs);
    // Let the live backup run (Local Storage reaches the disk ~5 s after the link).
    await until(
      async () => {
        const { rows } = await database.db.query('select 1 from whatsapp_sessions where number_id = $1', [
          numberId,
        ]);
        return rows.length === 1;
      },
      'the session saved',
      20_000,
    );
    expect(await runtime.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(processesUnder(dataDir())).toEqual([]);

    const since = Date.now();
    // Restarted every two seconds of being connected: each start may take long on a loaded machine.
    runtime = await startRuntime({
      PARLEY_WA_MAX_MEMORY_MB: '1',
      PARLEY_WA_MEMORY_CHECK_S: '2',
      PARLEY_WA_READY_TIMEOUT_S: '60',
    });
    await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected from the saved session', {
      since,
      ms: 60_000,
    });
    const restart = await watch.waitFor(
      numberId,
      (u) => u.state === 'reconnecting' && /too much memory/.test(u.detail ?? ''),
      'a restart over the memory ceiling',
      { since, ms: 30_000 },
    );
    await standin.receiveText(cy, 'Cy');
    await waitForSentCount(standin, cy, 2, 45_000, logs);
    await standin.receiveText(cy, '1');
    await waitForSentCount(standin, cy, 3, 45_000, logs);
    const [pollOfCy] = standin.sent().filter((m) => m.chatId === '15553000003@c.us' && m.poll !== undefined);
    await standin.votePoll((pollOfCy as { id: string }).id, cy, ['Large']);
    await waitForSentCount(standin, cy, 4, 45_000, logs);
    // Time for a wrong extra message to show up: its absence has no event to await.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sent(cy)).toEqual([ASK_NAME, ASK_PLAN, ASK_SIZE, 'Thanks Cy: basic, large.']);
    const restarts = watch.of(numberId, since).filter((u) => /too much memory/.test(u.detail ?? '')).length;
    expect(restarts).toBeGreaterThan(0);
    expect(watch.of(numberId, since).some((u) => u.state === 'qr_pending' || u.state === 'logged_out')).toBe(
      false,
    );
    console.info(
      `lifecycle: ${restarts} memory restarts during the conversation; first ${restart.at - since} ms after start (${watch.states(numberId, since).join(' → ')})`,
    );

    // Nothing outlives the runtime: a graceful stop closes the browser.
    expect(await runtime.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(processesUnder(dir as string)).toEqual([]);
    const { rows } = await database.db.query<{ status: string; count: number }>(
      `select status, count(*)::int as count from messages where direction = 'out' and status not in ('sent', 'delivered', 'read') group by status`,
    );
    expect(rows).toEqual([]);
  }, 240_000);
});
