import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busChannels, MemoryBus } from '@parley/bus';
import { type Db, LocalMediaStore, mediaKeyOfUrl, parseMediaKey } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/service/channels/channel.js';
import {
  createWhatsApp,
  type SessionUpdate,
  type WhatsAppRuntime,
} from '../src/service/channels/whatsapp/index.js';
import { whatsappConfigFromEnv } from '../src/service/channels/whatsapp/whatsapp-config.js';
import { createLogger } from '../src/service/ops/logger.js';
import { RuntimeMetrics } from '../src/service/ops/metrics.js';
import { FakeWaClient } from './support/fake-wa-client.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis } from './support/test-env.js';

// The session manager with a browser-less client, on the real Postgres and Redis: the state
// machine, persistence and publication, inbound translation, sending, commands and shutdown.
// (The same flow through the real whatsapp-web.js Client runs against the WhatsApp Web stand-in.)

let db: Db;
let drop: () => Promise<void>;
let redisCleanup: () => Promise<void>;
let whatsapp: WhatsAppRuntime;
let dir: string;
let numberId: string;
let workspaceId: string;
const bus = new MemoryBus();
const clients: FakeWaClient[] = [];
const received: InboundMessage[] = [];
const updates: SessionUpdate[] = [];
const sendable: string[] = [];
const metrics = new RuntimeMetrics({ defaultMetrics: false });
// Stands for web.whatsapp.com in the check before each launch: closed, WhatsApp Web is unreachable.
const web = createServer((_request, response) => response.writeHead(200).end());
let webPort = 0;
let webUrl = '';
const webListen = (port: number) =>
  new Promise<void>((resolve) => web.listen(port, '127.0.0.1', () => resolve()));

async function until<T>(check: () => T | undefined | null | false, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function untilState(state: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await stateInDb())?.state !== state) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for state ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const client = () => clients.at(-1) as FakeWaClient;
const reasonInDb = async () =>
  (
    await db.query<{ state_reason: { code: string; attempt?: number; maxAttempts?: number } | null }>(
      'select state_reason from numbers where id = $1',
      [numberId],
    )
  ).rows[0]?.state_reason;
const stateInDb = async () =>
  (
    await db.query<{ state: string; desired_connected: boolean }>(
      'select state, desired_connected from numbers where id = $1',
      [numberId],
    )
  ).rows[0];

beforeAll(async () => {
  await webListen(0);
  webPort = (web.address() as AddressInfo).port;
  webUrl = `http://127.0.0.1:${webPort}/`;
  ({ db, drop } = await createTestDatabase());
  const redis = await createTestRedis();
  redisCleanup = redis.cleanup;
  dir = await mkdtemp(join(tmpdir(), 'parley-wa-'));
  ({ numberId, workspaceId } = await seedPublishedFlow(db, { schemaVersion: 1 }, 'whatsapp'));
  await db.query('update numbers set desired_connected = true where id = $1', [numberId]);
  await bus.subscribe(busChannels.session(numberId).name, (message) =>
    updates.push(message as SessionUpdate),
  );
  whatsapp = createWhatsApp({
    db,
    bus,
    redis: redis.redis,
    prefix: redis.prefix,
    host: {
      receive: async (message) => {
        received.push(message);
        return 'accepted';
      },
      receipt: async () => undefined,
    },
    config: {
      ...whatsappConfigFromEnv(
        {
          PARLEY_SECRET_KEY: 'a-test-secret-key-0123456789',
          PARLEY_WA_SCAN_MS: '60000',
          PARLEY_WA_RECONNECT_BASE_MS: '50',
          PARLEY_WA_INBOUND_DEBOUNCE_MS: '20',
          PARLEY_WA_POLL_SETTLE_MS: '50',
          PARLEY_WA_CHECK_URL: webUrl,
          PARLEY_WA_CHECK_TIMEOUT_MS: '2000',
          PARLEY_WA_MAX_ATTEMPTS: '3',
        },
        dir,
      ),
    },
    dataDir: dir,
    mediaStore: new LocalMediaStore(join(dir, 'media')),
    metrics,
    logger: createLogger('test', 'silent'),
    clientFactory: (options) => {
      const fake = new FakeWaClient(options);
      clients.push(fake);
      return fake;
    },
    onSendable: (id) => sendable.push(id),
  });
  await whatsapp.start();
});

afterAll(async () => {
  if (web.listening) await new Promise((resolve) => web.close(resolve));
  await whatsapp?.stop();
  await redisCleanup();
  await drop();
  await rm(dir, { recursive: true, force: true });
});

describe('WhatsApp session manager', () => {
  it('takes a wanted number, shows its QR code, and connects once scanned', async () => {
    await until(() => clients.length === 1, 'a client launch');
    expect(client().options).toMatchObject({ numberId, chromiumPath: '/usr/bin/chromium' });
    client().emit('qr', '2@abc,def,ghi');
    const qr = await until(() => updates.find((u) => u.qr !== undefined), 'a QR update');
    expect(qr).toMatchObject({ numberId, state: 'qr_pending' });
    expect(qr.qr).toMatch(/^data:image\/png;base64,/);
    expect((await stateInDb())?.state).toBe('qr_pending');
    client().emit('authenticated');
    client().emit('ready');
    await until(() => updates.some((u) => u.state === 'connected'), 'connected');
    expect((await stateInDb())?.state).toBe('connected');
    expect(sendable).toContain(numberId);
    expect(whatsapp.channel.handles(numberId)).toBe(true);
    const { rows } = await db.query<{ state: string; detail: unknown }>(
      'select state, detail from session_events where number_id = $1 order by id',
      [numberId],
    );
    expect(rows.map((row) => row.state)).toEqual(['starting', 'qr_pending', 'connected']);
    // The QR code is a login secret: published, never stored.
    expect(JSON.stringify(rows)).not.toContain('abc');
    const exported = await metrics.registry.getSingleMetricAsString('parley_whatsapp_state');
    expect(exported).toContain(`parley_whatsapp_state{number="${numberId}",state="connected"} 1`);
  });

  it('hands inbound messages over in send order, @lid senders mapped to phones, media stored', async () => {
    const base = { fromMe: false, hasMedia: false, isStatus: false, broadcast: false, body: '' };
    const now = Math.floor(Date.now() / 1000);
    client().emit('message', {
      ...base,
      id: 'in-2',
      chatId: '4915112345678@c.us',
      type: 'chat',
      body: 'second',
      timestamp: now + 1,
    });
    client().emit('message', {
      ...base,
      id: 'in-1',
      chatId: '4915112345678@c.us',
      type: 'chat',
      body: 'first',
      timestamp: now,
      notifyName: 'Ann',
    });
    client().emit('message', {
      ...base,
      id: 'in-lid',
      chatId: '123456789012@lid',
      type: 'chat',
      body: 'via lid',
      timestamp: now,
    });
    client().emit('message', {
      ...base,
      id: 'in-img',
      chatId: '4915100000000@c.us',
      type: 'image',
      hasMedia: true,
      mimeType: 'image/jpeg',
      size: 10,
      body: 'my photo',
      timestamp: now,
    });
    client().emit('message', {
      ...base,
      id: 'in-old',
      chatId: '4915100000001@c.us',
      type: 'chat',
      body: 'hello?',
      timestamp: now - 3600,
    });
    client().emit('message', {
      ...base,
      id: 'in-group',
      chatId: '1203630@g.us',
      type: 'chat',
      body: 'group',
      timestamp: now,
    });
    await until(() => received.length >= 5, 'five inbound messages');
    const ann = received.filter((m) => m.contact === '+4915112345678');
    expect(ann.map((m) => m.text)).toEqual(['first', 'second']);
    expect(ann[0]?.contactName).toBe('Ann');
    expect(received.find((m) => m.id === 'in-lid')?.contact).toBe('+4915199999999');
    const image = received.find((m) => m.id === 'in-img');
    expect(image?.text).toBe('my photo');
    expect(image?.media).toMatchObject({ mimeType: 'image/jpeg', size: 10, name: 'photo.jpg' });
    // In the shared store, under the number's workspace: the API serves it from there.
    const key = mediaKeyOfUrl(image?.media?.url) as string;
    expect(parseMediaKey(key)?.workspaceId).toBe(workspaceId);
    expect(key).toMatch(/-in-img\.jpg$/);
    const stored = await new LocalMediaStore(join(dir, 'media')).get(key);
    expect(stored).toMatchObject({ mimeType: 'image/jpeg', size: 10 });
    stored?.body.destroy();
    expect(received.find((m) => m.id === 'in-old')?.stale).toBe(true);
    expect(received.some((m) => m.id === 'in-group')).toBe(false);
  });

  it('sends choices as a numbered list, polls when asked, and maps votes back to choice ids', async () => {
    const choices = [
      { id: 'c1', label: 'Basic', value: 'basic' },
      { id: 'c2', label: 'Pro', value: 'pro' },
    ];
    const envelope = (messageId: number, render: 'list' | 'poll') => ({
      messageId,
      numberId,
      contact: '+4915112345678',
      idempotencyKey: `${numberId}:test:${messageId}`,
      message: { kind: 'prompt' as const, text: 'Pick a plan', choices, render },
    });
    const list = await whatsapp.channel.send(envelope(900001, 'list'));
    expect(client().sent.at(-1)).toEqual({
      chatId: '4915112345678@c.us',
      kind: 'text',
      payload: 'Pick a plan\n\n1. Basic\n2. Pro',
    });
    // A retry of a message already sent finds it instead of sending again.
    expect(await whatsapp.channel.findSent(envelope(900001, 'list'))).toEqual(list);
    expect(await whatsapp.channel.send(envelope(900001, 'list'))).toEqual(list);
    expect(client().sent.length).toBe(1);
    const poll = await whatsapp.channel.send(envelope(900002, 'poll'));
    expect(client().sent.at(-1)).toMatchObject({
      kind: 'poll',
      payload: { name: 'Pick a plan', options: ['Basic', 'Pro'], allowMultiple: false },
    });
    client().emit('vote_update', {
      pollMessageId: poll.channelMessageId,
      voter: '4915112345678@c.us',
      selected: [{ name: 'Pro', localId: 1 }],
      at: Date.now(),
    });
    const vote = await until(() => received.find((m) => m.choiceIds !== undefined), 'a vote');
    expect(vote).toMatchObject({ contact: '+4915112345678', choiceIds: ['c2'] });
  });

  it('reconnects after a drop, reusing the session', async () => {
    client().emit('disconnected', 'CONFLICT');
    await until(() => updates.some((u) => u.state === 'reconnecting'), 'reconnecting');
    expect(whatsapp.channel.handles(numberId)).toBe(false);
    await until(() => clients.length === 2, 'a second launch');
    expect(clients[0]?.destroyed).toBe(true);
    client().emit('ready');
    await untilState('connected');
    await until(() => whatsapp.channel.handles(numberId), 'sendable again');
  });

  it('offers a pairing code on request, and logs out on command', async () => {
    await bus.publish(busChannels.sessionCommands.name, { numberId, command: 'logout' });
    await until(() => updates.some((u) => u.state === 'logged_out'), 'logged out');
    expect(client().loggedOut).toBe(true);
    let row = await stateInDb();
    const deadline = Date.now() + 5_000;
    while (row?.desired_connected !== false && Date.now() < deadline) row = await stateInDb();
    expect(row).toEqual({ state: 'logged_out', desired_connected: false });
    await bus.publish(busChannels.sessionCommands.name, {
      numberId,
      command: 'connect',
      method: 'pairing_code',
      phone: '+49 151 1234',
    });
    await until(() => clients.length === 3, 'a launch for pairing');
    expect(client().options.pairWithPhone).toBe('491511234');
    client().emit('code', 'WXYZ9876');
    const code = await until(() => updates.find((u) => u.pairingCode !== undefined), 'a pairing code');
    expect(code).toMatchObject({ state: 'qr_pending', pairingCode: 'WXYZ9876' });
    expect((await stateInDb())?.desired_connected).toBe(true);
  });

  it('cancels a connection in progress: disconnected, with the reason, the session kept', async () => {
    const launched = client();
    // What the API's cancel does: not wanted any more, then the command.
    await db.query('update numbers set desired_connected = false where id = $1', [numberId]);
    await bus.publish(busChannels.sessionCommands.name, { numberId, command: 'cancel' });
    await untilState('disconnected');
    expect(await reasonInDb()).toMatchObject({ code: 'admin_cancel' });
    expect(launched.destroyed).toBe(true);
    expect(launched.loggedOut).toBe(false);
    expect(whatsapp.describe()).toMatchObject({ numbers: {} });
  });

  it('fails after the bounded attempts when WhatsApp Web is unreachable, launching no browser; Try again connects', async () => {
    await new Promise((resolve) => web.close(resolve));
    const launches = clients.length;
    const since = Date.now();
    await bus.publish(busChannels.sessionCommands.name, { numberId, command: 'connect' });
    await untilState('failed');
    expect(clients.length).toBe(launches);
    expect(await reasonInDb()).toMatchObject({
      code: 'web_unreachable',
      message: 'The server cannot reach WhatsApp Web.',
      nextStep: expect.stringMatching(/then press Try again\.$/),
      detail: `127.0.0.1:${webPort} refused the connection (ECONNREFUSED)`,
      attempt: 3,
      maxAttempts: 3,
    });
    // Recorded first, then let go of (desired_connected cleared).
    const stopped = await until(
      () => (whatsapp.describe().stopped as Record<string, unknown>)[numberId],
      'the number let go of',
    );
    let row = await stateInDb();
    const deadline = Date.now() + 5_000;
    while (row?.desired_connected !== false && Date.now() < deadline) row = await stateInDb();
    expect(row?.desired_connected).toBe(false);
    // Every attempt reached the admin, the retries within `reconnecting` too.
    const tries = updates.filter((u) => u.at >= since && u.reason?.code === 'web_unreachable');
    expect(tries.map((u) => [u.state, u.reason?.attempt])).toEqual([
      ['reconnecting', 1],
      ['reconnecting', 2],
      ['failed', 3],
    ]);
    expect(tries[0]?.reason?.retryAt).toEqual(new Date(tries[0]?.retryAt as number).toISOString());
    expect(tries[0]?.reason?.nextStep).toMatch(/Parley tries again by itself\.$/);
    const { rows } = await db.query<{ state: string; attempt: number }>(
      `select state, (detail->'reason'->>'attempt')::int as attempt from session_events
       where number_id = $1 and detail->'reason'->>'code' = 'web_unreachable' order by id`,
      [numberId],
    );
    expect(rows).toEqual([
      { state: 'reconnecting', attempt: 1 },
      { state: 'reconnecting', attempt: 2 },
      { state: 'failed', attempt: 3 },
    ]);
    // /readyz says the same as the numbers page.
    expect(stopped).toMatchObject({ state: 'failed', reason: await reasonInDb() });
    const exported = await metrics.registry.getSingleMetricAsString('parley_whatsapp_state');
    expect(exported).toContain(`parley_whatsapp_state{number="${numberId}",state="failed"} 1`);
    // It stays failed: nothing restarts it by itself.
    await whatsapp.manager.scanNow();
    expect((await stateInDb())?.state).toBe('failed');

    await webListen(webPort);
    await bus.publish(busChannels.sessionCommands.name, { numberId, command: 'connect' });
    await until(() => clients.length === launches + 1, 'a launch once reachable');
    client().emit('ready');
    await untilState('connected');
    expect(await reasonInDb()).toBeNull();
  });

  it('closes every browser on shutdown and lets go of the numbers', async () => {
    await whatsapp.stop();
    expect(clients.every((fake) => fake.destroyed)).toBe(true);
    expect(whatsapp.describe()).toMatchObject({ numbers: {} });
    expect((await stateInDb())?.state).toBe('disconnected');
  });
});
