import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intakeFlow } from './support/intake-flow.js';
import { internalAuth } from './support/internal-token.js';
import { freePort, killAllRuntimes, RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { StandinHub } from './support/standin-hub.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';
import {
  type Browser,
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
import type { WhatsAppStandin } from './whatsapp-standin/standin.js';

// Two runtime processes (`node runtime/dist/service/main.js`, each as its own "host" with its own
// data folder) share three WhatsApp numbers on the real Redis and Postgres, each number a real
// whatsapp-web.js Client in a real Chromium against its own stand-in account. A sampler checks
// every ~200 ms that no number is ever driven by two processes; then the process owning two of
// them is SIGKILLed and the other must take them over within the lease, from the encrypted
// sessions in Postgres (no new QR), with its conversations going on and no browser left behind.

const LEASE_MS = 3_000;
const NUMBERS = 3;

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let hub: StandinHub;
let watch: SessionWatch;
let dir: string | undefined;
const numberIds: string[] = [];
let a: RuntimeProcess;
let b: RuntimeProcess;
killOnExit(() => dir);

/** Contact `i` writes to stand-in account `i`. */
const contactOf = (i: number) => `+155520000${String(10 + i)}`;
const reply = {
  name: "What's your name?",
  email: (i: number) => `Hi Name ${i}, what's your email?`,
  plan: 'Pick a plan\n\n1. Basic\n2. Pro',
  thanks: (i: number) => `Thanks Name ${i}: user${i}@example.com is on the pro plan.`,
};

interface Sample {
  at: number;
  browsers: Browser[];
  leases: Map<string, { fence: number; owner: string }>;
  keys: (string | null)[];
  connected: Map<string, string[]>;
}

const samples: Sample[] = [];
const violations: string[] = [];
let sampling = true;
let sampler: Promise<void> = Promise.resolve();

const hostOf = (browser: Browser) => (browser.profile.includes('/host-a/') ? 'a' : 'b');
const pidOfOwner = (owner: string) => Number(owner.split(':')[1]);

async function readyNumbers(runtime: RuntimeProcess): Promise<string[]> {
  if (!runtime.running) return [];
  try {
    const response = await fetch(`${runtime.base}/readyz`, {
      headers: internalAuth,
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await response.json()) as {
      checks?: { whatsapp?: { numbers?: Record<string, { state: string }> } };
    };
    return Object.entries(body.checks?.whatsapp?.numbers ?? {})
      .filter(([, number]) => number.state === 'connected')
      .map(([id]) => id);
  } catch {
    return [];
  }
}

/** One look at who drives what: Redis leases, Chromium processes, the fences, each runtime's view. */
async function sample(): Promise<void> {
  const at = Date.now();
  const keys = await redis.redis.mget(numberIds.map((id) => `${redis.prefix}wa:owner:${id}`));
  const browsers = browsersUnder(dir as string);
  const { rows } = await database.db.query<{ number_id: string; fence: string; owner: string }>(
    'select number_id, fence, owner from whatsapp_leases',
  );
  const leases = new Map(rows.map((row) => [row.number_id, { fence: Number(row.fence), owner: row.owner }]));
  const connected = new Map<string, string[]>();
  for (const [name, runtime] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (runtime !== undefined)
      for (const id of await readyNumbers(runtime)) connected.set(id, [...(connected.get(id) ?? []), name]);
  }
  const previous = samples.at(-1);
  samples.push({ at, browsers, leases, keys, connected });
  for (const [index, numberId] of numberIds.entries()) {
    const tag = `at +${at - (samples[0]?.at ?? at)} ms, number ${index}`;
    const running = browsers.filter((browser) => browser.numberId === numberId);
    if (running.length > 1)
      violations.push(`${tag}: ${running.length} browsers (${running.map(hostOf).join(', ')})`);
    const lease = leases.get(numberId);
    for (const browser of running) {
      // A browser runs only for the current fence holder, and only while a lease is held. (Right
      // after a SIGKILL its runtime's browsers are still exiting: fine until someone else takes over.)
      const runtime = hostOf(browser) === 'a' ? a : b;
      if (browser.ppid !== runtime.child.pid && runtime.running)
        violations.push(`${tag}: a browser (pid ${browser.pid}) not started by its host's runtime`);
      if (lease === undefined || pidOfOwner(lease.owner) !== runtime.child.pid)
        violations.push(
          `${tag}: a browser of host ${hostOf(browser)} while the fence is held by ${lease?.owner}`,
        );
      if (keys[index] === null) violations.push(`${tag}: a browser runs but nobody holds the lease`);
    }
    const before = previous?.leases.get(numberId)?.fence ?? 0;
    if ((lease?.fence ?? 0) < before) violations.push(`${tag}: the fence went back from ${before}`);
    if ((connected.get(numberId) ?? []).length > 1) violations.push(`${tag}: connected in both runtimes`);
  }
}

async function sampleLoop(): Promise<void> {
  while (sampling) {
    const started = Date.now();
    await sample().catch((error: unknown) => violations.push(`sampling failed: ${String(error)}`));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 200 - (Date.now() - started))));
  }
}

function start(host: 'a' | 'b', capacity: number, port: number): Promise<RuntimeProcess> {
  return RuntimeProcess.start({
    databaseUrl: database.url,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    port,
    env: whatsappEnv({
      dataDir: join(dir as string, `host-${host}`),
      webVersion: hub.webVersion,
      cacheDir: hub.cacheDir,
      checkUrl: (hub.standins[0] as WhatsAppStandin).url,
      extra: {
        PARLEY_WA_LEASE_MS: String(LEASE_MS),
        PARLEY_MAX_NUMBERS_PER_PROCESS: String(capacity),
        PARLEY_WA_READY_TIMEOUT_S: '30',
      },
    }),
  });
}

async function leasesByPid(): Promise<Map<string, number>> {
  const { rows } = await database.db.query<{ number_id: string; owner: string }>(
    'select number_id, owner from whatsapp_leases',
  );
  return new Map(rows.map((row) => [row.number_id, pidOfOwner(row.owner)]));
}

async function states(): Promise<Map<string, string>> {
  const { rows } = await database.db.query<{ id: string; state: string }>(
    'select id, state from numbers where id = any($1::uuid[])',
    [numberIds],
  );
  return new Map(rows.map((row) => [row.id, row.state]));
}

const logs = () => `--- runtime a ---\n${a?.logTail(30)}\n--- runtime b ---\n${b?.logTail(30)}`;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await createTestRedis();
  hub = await StandinHub.start(NUMBERS);
  dir = await mkdtemp(join(tmpdir(), 'parley-wa-failover-'));
  for (let i = 0; i < NUMBERS; i++) {
    const { numberId } = await seedPublishedFlow(database.db, intakeFlow, 'whatsapp');
    numberIds.push(numberId);
  }
  await database.db.query('update numbers set desired_connected = true where id = any($1::uuid[])', [
    numberIds,
  ]);
  watch = await SessionWatch.start(redis.prefix, numberIds);
  sampler = sampleLoop();
}, 60_000);

afterAll(async () => {
  sampling = false;
  await sampler;
  await killAllRuntimes();
  if (dir !== undefined) killEverythingUnder(dir);
  await watch?.close();
  await hub?.close();
  await redis?.cleanup();
  await database?.drop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.skipIf(process.platform !== 'linux')('WhatsApp numbers shared by two runtime processes', () => {
  /** The account (stand-in) each number ended up linked to, and the reverse. */
  const accountOf = new Map<string, number>();
  let victims: string[] = [];
  let survivors: string[] = [];
  const standin = (i: number) => hub.standins[i] as WhatsAppStandin;

  it('links the three numbers by QR across two processes, each number owned by one of them', async () => {
    // A takes at most two numbers, B up to all three: A starts first and holds two, B the third.
    a = await start('a', 2, await freePort());
    await until(
      async () => [...(await leasesByPid()).values()].filter((pid) => pid === a.child.pid).length === 2,
      'A owning two numbers',
      20_000,
      logs,
    );
    b = await start('b', NUMBERS, await freePort());

    // Each browser shows a QR code (published as a PNG data URL); then the phones scan them.
    for (const numberId of numberIds) {
      const qr = await watch.waitFor(numberId, (u) => u.qr !== undefined, 'a QR code');
      expect(qr.qr).toMatch(/^data:image\/png;base64,/);
    }
    for (let i = 0; i < NUMBERS; i++) await standin(i).scanQr(undefined, 20_000);
    for (const numberId of numberIds) {
      await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected');
      expect(watch.states(numberId)).toEqual(['starting', 'qr_pending', 'connected']);
    }
    const owners = await leasesByPid();
    expect([...owners.values()].sort()).toEqual([a.child.pid, a.child.pid, b.child.pid].sort());

    // Contact i writes to account i: which number is that? (Its inbound message says.)
    for (let i = 0; i < NUMBERS; i++) {
      await standin(i).receiveText(contactOf(i), 'hi', { pushname: `Contact ${i}` });
      await waitForSentCount(standin(i), contactOf(i), 1, 20_000, logs);
      const { rows } = await database.db.query<{ number_id: string }>(
        `select distinct number_id from messages where contact = $1 and direction = 'in'`,
        [contactOf(i)],
      );
      expect(rows).toHaveLength(1);
      accountOf.set((rows[0] as { number_id: string }).number_id, i);
    }
    // Mid-flow: each contact has given a name and is asked for an email.
    for (let i = 0; i < NUMBERS; i++) await standin(i).receiveText(contactOf(i), `Name ${i}`);
    for (let i = 0; i < NUMBERS; i++) {
      expect(await waitForSentCount(standin(i), contactOf(i), 2, 20_000, logs)).toEqual([
        reply.name,
        reply.email(i),
      ]);
    }
    victims = numberIds.filter((id) => owners.get(id) === a.child.pid);
    survivors = numberIds.filter((id) => owners.get(id) === b.child.pid);
    // The sessions are saved (encrypted) shortly after `connected`: a takeover will need no QR.
    await until(async () => {
      const { rows } = await database.db.query('select number_id from whatsapp_sessions');
      return rows.length === NUMBERS;
    }, 'the three sessions saved');
    expect(violations).toEqual([]);
  }, 90_000);

  it('hands a SIGKILLed process’s numbers to the other within the lease, with no QR, and its conversations go on', async () => {
    const killedAt = Date.now();
    const routedBefore = hub.routed.length;
    const pairedBefore = hub.standins.map((s) => s.events('paired').length);
    await a.kill('SIGKILL');

    // The browsers die with their runtime: the victims' accounts see their pages go away.
    for (const numberId of victims) {
      await until(
        () => hub.pagesOn(accountOf.get(numberId) as number) === 0,
        'the killed runtime’s page to go away',
        5_000,
      );
    }
    const pagesGoneAt = Date.now();
    await until(
      () => processesUnder(join(dir as string, 'host-a')).length === 0,
      'the killed runtime’s Chromium processes to exit',
      5_000,
    );
    const orphansGoneAt = Date.now();

    // Meanwhile every contact answers (held by WhatsApp while the number has no device online).
    for (let i = 0; i < NUMBERS; i++) await standin(i).receiveText(contactOf(i), `user${i}@example.com`);

    const tookOver = await until(
      async () => {
        const owners = await leasesByPid();
        return victims.every((id) => owners.get(id) === b.child.pid) ? Date.now() : undefined;
      },
      'B taking the numbers over',
      LEASE_MS + 5_000,
      logs,
    );
    for (const numberId of victims)
      await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected on B', {
        since: killedAt,
        ms: 30_000,
      });
    const connectedAt = Date.now();
    const current = await states();
    expect(numberIds.map((id) => current.get(id))).toEqual(numberIds.map(() => 'connected'));

    // Within one lease (plus a scan and the fence bump), all restored from Postgres without a QR.
    expect(tookOver - killedAt).toBeLessThan(LEASE_MS + 2_000);
    for (const numberId of victims) {
      const since = killedAt;
      expect(watch.of(numberId, since).some((u) => u.state === 'qr_pending' || u.qr !== undefined)).toBe(
        false,
      );
      expect(watch.states(numberId, since)).toEqual(['starting', 'connected']);
    }
    expect(hub.routed.slice(routedBefore).every((route) => route.token)).toBe(true);
    expect(hub.standins.map((s) => s.events('paired').length)).toEqual(pairedBefore);

    // The conversations go on where they were: each reply exactly once, in order.
    for (let i = 0; i < NUMBERS; i++) await waitForSentCount(standin(i), contactOf(i), 3, 20_000, logs);
    for (let i = 0; i < NUMBERS; i++) await standin(i).receiveText(contactOf(i), 'Pro');
    for (let i = 0; i < NUMBERS; i++) {
      await waitForSentCount(standin(i), contactOf(i), 4, 20_000, logs);
    }
    // Time for a duplicate from the failed-over runtime to show up: its absence has no event to await.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < NUMBERS; i++) {
      expect(sentTo(standin(i), contactOf(i))).toEqual([
        reply.name,
        reply.email(i),
        reply.plan,
        reply.thanks(i),
      ]);
    }
    const { rows } = await database.db.query<{ status: string; count: number }>(
      `select status, count(*)::int as count from messages where direction = 'out' group by status`,
    );
    expect(rows).toEqual([{ status: 'sent', count: 4 * NUMBERS }]);
    const { rows: responses } = await database.db.query('select answers from responses');
    expect(responses).toHaveLength(NUMBERS);
    console.info(
      `failover: pages gone ${pagesGoneAt - killedAt} ms and Chromium gone ${orphansGoneAt - killedAt} ms after SIGKILL, lease taken ${tookOver - killedAt} ms, all connected ${connectedAt - killedAt} ms (lease ${LEASE_MS} ms)`,
    );
    expect(survivors).toHaveLength(1);
  }, 90_000);

  it('never let two processes drive a number, and leaves no browser behind', async () => {
    sampling = false;
    await sampler;
    expect(samples.length).toBeGreaterThan(20);
    // The sampler saw each number driven: by A, then B for the victims.
    for (const numberId of victims) {
      const hosts = samples.flatMap((s) => s.browsers.filter((x) => x.numberId === numberId).map(hostOf));
      expect(new Set(hosts)).toEqual(new Set(['a', 'b']));
    }
    expect(violations).toEqual([]);

    expect(await b.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(processesUnder(dir as string)).toEqual([]);
    // The graceful stop saved every session and released every lease.
    const keys = await redis.redis.mget(numberIds.map((id) => `${redis.prefix}wa:owner:${id}`));
    expect(keys).toEqual(numberIds.map(() => null));
  }, 60_000);
});
