import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busChannels, type InboxActivity, RedisBus } from '@parley/bus';
import { LocalMediaStore, MEDIA_URL_PREFIX, mediaKey } from '@parley/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentMessage, handoffFlow } from './support/inbox-control.js';
import { freePort, killAllRuntimes, RuntimeProcess } from './support/runtime-process.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis, TEST_REDIS_URL } from './support/test-env.js';
import {
  killEverythingUnder,
  killOnExit,
  SessionWatch,
  sentTo,
  until,
  waitForSentCount,
  whatsappEnv,
} from './support/whatsapp-processes.js';
import { WhatsAppStandin } from './whatsapp-standin/standin.js';

// A person answers a hand-off from the inbox on a real WhatsApp number: the control row the API
// records goes through a runtime process, the real whatsapp-web.js Client and Chromium, to the
// stand-in's phone; the phone's receipts become the message's ticks.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let redis: Awaited<ReturnType<typeof createTestRedis>>;
let standin: WhatsAppStandin;
let watch: SessionWatch;
let bus: RedisBus;
const connections: Redis[] = [];
let dir: string | undefined;
let workspaceId: string;
let numberId: string;
let runtime: RuntimeProcess;
const activity: InboxActivity[] = [];
killOnExit(() => dir);

const dataDir = () => join(dir as string, 'host');
const logs = () => `--- runtime ---\n${runtime?.logTail(Number(process.env.WA_TEST_LOG_LINES ?? 40))}`;

async function outbound(key: string) {
  const { rows } = await database.db.query<{
    status: string;
    wa_message_id: string | null;
    agent: { id: string; name: string } | null;
    last_error: string | null;
  }>(
    `select status, wa_message_id, body->'agent' as agent, last_error from messages
     where direction = 'out' and idempotency_key = $1`,
    [key],
  );
  return rows[0];
}

beforeAll(async () => {
  database = await createTestDatabase();
  redis = await createTestRedis();
  standin = await WhatsAppStandin.start();
  dir = await mkdtemp(join(tmpdir(), 'parley-wa-inbox-'));
  ({ workspaceId, numberId } = await seedPublishedFlow(database.db, handoffFlow, 'whatsapp'));
  await database.db.query('update numbers set desired_connected = true where id = $1', [numberId]);
  watch = await SessionWatch.start(redis.prefix, [numberId]);
  const publisher = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const subscriber = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(publisher, subscriber);
  bus = new RedisBus(publisher, subscriber, redis.prefix);
  await bus.subscribe(busChannels.inboxActivity.name, (message) => activity.push(message as InboxActivity));
  runtime = await RuntimeProcess.start({
    databaseUrl: database.url,
    redisUrl: redis.url,
    redisPrefix: redis.prefix,
    port: await freePort(),
    env: whatsappEnv({
      dataDir: dataDir(),
      webVersion: standin.webVersion,
      cacheDir: standin.cacheDir,
      checkUrl: standin.url,
    }),
  });
  await watch.waitFor(numberId, (u) => u.qr !== undefined, 'a QR code', { ms: 60_000 });
  await standin.scanQr();
  await watch.waitFor(numberId, (u) => u.state === 'connected', 'connected', { ms: 60_000 });
}, 150_000);

afterAll(async () => {
  await killAllRuntimes();
  if (dir !== undefined) killEverythingUnder(dir);
  await bus?.close().catch(() => undefined);
  for (const connection of connections) connection.disconnect();
  await watch?.close();
  await standin?.close();
  await redis?.cleanup();
  await database?.drop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe.skipIf(process.platform !== 'linux')('an agent answering a hand-off on WhatsApp', () => {
  const contact = '+15554000001';
  const target = () => ({ workspaceId, numberId, contact });

  it('sends the agent’s text with their name stored, and the phone’s receipts become its ticks', async () => {
    await standin.receiveText(contact, 'hi', { pushname: 'Ana' });
    await waitForSentCount(standin, contact, 1, 30_000, logs);
    await standin.receiveText(contact, 'Ana');
    await waitForSentCount(standin, contact, 2, 30_000, logs);
    expect(sentTo(standin, contact)).toEqual(['Your name?', 'A person will answer, Ana.']);

    const id = await agentMessage(database.db, bus, target(), 'Hi Ana, Rita here. How can I help?');
    await waitForSentCount(standin, contact, 3, 30_000, logs);
    expect(sentTo(standin, contact)[2]).toBe('Hi Ana, Rita here. How can I help?');
    const key = `${numberId}:${contact}:agent-${id}`;
    const sent = await until(async () => {
      const row = await outbound(key);
      return row?.wa_message_id ? row : undefined;
    }, 'the agent message recorded as sent');
    expect(sent.agent).toEqual({ id: 'agent-user-1', name: 'Rita Agent' });
    await standin.ack(sent.wa_message_id as string, 2);
    await until(async () => (await outbound(key))?.status === 'delivered', 'delivered');
    await standin.ack(sent.wa_message_id as string, 3);
    await until(async () => (await outbound(key))?.status === 'read', 'read');
    await until(
      () => activity.filter((event) => event.kind === 'delivery' && event.contact === contact).length >= 3,
      'the inbox told of sent, delivered and read',
    );
    expect(activity.every((event) => event.isTest === false)).toBe(true);
  }, 120_000);

  it('sends an attachment from the media store as a document, with its name', async () => {
    const store = new LocalMediaStore(join(dataDir(), 'media'));
    const key = mediaKey(workspaceId, contact, 'price-list.pdf');
    const bytes = Buffer.from('%PDF-1.4 the price list');
    await store.put(key, bytes, 'application/pdf');
    const id = await agentMessage(database.db, bus, target(), 'Here is the price list.', {
      media: {
        url: `${MEDIA_URL_PREFIX}${key}`,
        mimeType: 'application/pdf',
        name: 'price-list.pdf',
        size: bytes.length,
      },
    });
    const document = await until(
      () =>
        standin
          .sent()
          .find((message) => message.chatId === '15554000001@c.us' && message.media !== undefined),
      'the document on the phone',
      30_000,
    );
    expect(document.media).toMatchObject({
      mimetype: 'application/pdf',
      filename: 'price-list.pdf',
      data: bytes.toString('base64'),
    });
    expect(document.caption).toBe('Here is the price list.');
    await until(
      async () => (await outbound(`${numberId}:${contact}:agent-${id}`))?.status === 'sent',
      'sent',
    );
  }, 120_000);

  it('refuses a file of another workspace in words, sending nothing', async () => {
    const store = new LocalMediaStore(join(dataDir(), 'media'));
    const key = mediaKey('00000000-0000-4000-8000-000000000000', contact, 'secret.pdf');
    await store.put(key, Buffer.from('not yours'), 'application/pdf');
    const before = standin.sent().length;
    const id = await agentMessage(database.db, bus, target(), 'Look', {
      media: { url: `${MEDIA_URL_PREFIX}${key}`, mimeType: 'application/pdf', size: 9 },
    });
    const failed = await until(async () => {
      const row = await outbound(`${numberId}:${contact}:agent-${id}`);
      return row?.status === 'failed' ? row : undefined;
    }, 'the message failed');
    expect(failed.last_error).toBe('The attachment is not a file of this workspace, so it was not sent.');
    expect(standin.sent().length).toBe(before);
  }, 120_000);
});
