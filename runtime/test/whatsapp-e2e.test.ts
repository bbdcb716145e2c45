import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busChannels, MemoryBus } from '@parley/bus';
import { type Db, LocalMediaStore } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/service/channels/channel.js';
import { processesUsingProfile } from '../src/service/channels/whatsapp/browser-processes.js';
import {
  createWhatsApp,
  type SessionUpdate,
  type WhatsAppRuntime,
} from '../src/service/channels/whatsapp/index.js';
import { profileDirOf, whatsappConfigFromEnv } from '../src/service/channels/whatsapp/whatsapp-config.js';
import { createLogger } from '../src/service/ops/logger.js';
import { RuntimeMetrics } from '../src/service/ops/metrics.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase } from './support/test-env.js';
import { WhatsAppStandin } from './whatsapp-standin/standin.js';

// End to end through the real whatsapp-web.js Client in the real Chromium, against the WhatsApp
// Web stand-in: link by QR, receive, send, shut down without leaving a browser, and start again on
// another "host" (a fresh profile folder) from the encrypted session in Postgres, with no QR.

let db: Db;
let drop: () => Promise<void>;
let standin: WhatsAppStandin;
let dir: string;
let numberId: string;
const bus = new MemoryBus();
const received: InboundMessage[] = [];
const updates: SessionUpdate[] = [];

async function until<T>(check: () => T | undefined | null | false, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function runtimeOn(host: string): WhatsAppRuntime {
  return createWhatsApp({
    db,
    bus,
    redis: null,
    prefix: 'e2e:',
    host: {
      receive: async (message) => {
        received.push(message);
        return 'accepted';
      },
      receipt: async () => undefined,
    },
    config: whatsappConfigFromEnv(
      {
        PARLEY_SECRET_KEY: 'an-e2e-secret-key-0123456789',
        PARLEY_WA_WEB_VERSION: standin.webVersion,
        PARLEY_WA_WEB_CACHE_DIR: standin.cacheDir,
        PARLEY_WA_CHECK_URL: standin.url,
        PARLEY_WA_SCAN_MS: '60000',
        PARLEY_WA_INBOUND_DEBOUNCE_MS: '20',
        PARLEY_WA_BACKUP_DELAY_S: '3600',
        PARLEY_WA_READY_TIMEOUT_S: '30',
      },
      join(dir, host),
    ),
    dataDir: join(dir, host),
    mediaStore: new LocalMediaStore(join(dir, host, 'media')),
    metrics: new RuntimeMetrics({ defaultMetrics: false }),
    logger: createLogger('e2e', process.env.PARLEY_LOG_LEVEL ?? 'silent'),
  });
}

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
  standin = await WhatsAppStandin.start();
  dir = await mkdtemp(join(tmpdir(), 'parley-e2e-'));
  numberId = (await seedPublishedFlow(db, { schemaVersion: 1 }, 'whatsapp')).numberId;
  await db.query('update numbers set desired_connected = true where id = $1', [numberId]);
  await bus.subscribe(busChannels.session(numberId).name, (message) =>
    updates.push(message as SessionUpdate),
  );
});

afterAll(async () => {
  await standin?.close();
  await drop();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('WhatsApp end to end (real Client, stand-in server)', () => {
  it('links by QR, receives, sends, and closes its browser on shutdown', async () => {
    const first = runtimeOn('host-a');
    try {
      await first.start();
      const qr = await until(() => updates.find((u) => u.qr !== undefined), 'a QR code');
      expect(qr.qr).toMatch(/^data:image\/png;base64,/);
      await standin.scanQr();
      await until(() => updates.some((u) => u.state === 'connected'), 'connected');
      expect(first.channel.handles(numberId)).toBe(true);

      await standin.receiveText('+15551234567', 'hi there', { pushname: 'Ann' });
      const message = await until(() => received.find((m) => m.text === 'hi there'), 'the inbound message');
      expect(message).toMatchObject({ numberId, contact: '+15551234567', contactName: 'Ann' });

      await first.channel.send({
        messageId: 1,
        numberId,
        contact: '+15551234567',
        idempotencyKey: `${numberId}:e2e:1`,
        message: {
          kind: 'prompt',
          text: 'Pick a plan',
          choices: [
            { id: 'c1', label: 'Basic', value: 'basic' },
            { id: 'c2', label: 'Pro', value: 'pro' },
          ],
          render: 'list',
        },
      });
      const sent = await standin.waitForSent((m) => m.chatId === '15551234567@c.us');
      expect(sent.body).toBe('Pick a plan\n\n1. Basic\n2. Pro');

      const poll = await first.channel.send({
        messageId: 2,
        numberId,
        contact: '+15551234567',
        idempotencyKey: `${numberId}:e2e:2`,
        message: {
          kind: 'prompt',
          text: 'Which size?',
          choices: [
            { id: 's', label: 'Small', value: 'small' },
            { id: 'l', label: 'Large', value: 'large' },
          ],
          render: 'poll',
        },
      });
      const sentPoll = await standin.waitForSent((m) => m.id === poll.channelMessageId);
      expect(sentPoll.poll).toEqual({
        name: 'Which size?',
        options: ['Small', 'Large'],
        allowMultipleAnswers: false,
      });
      await standin.votePoll(poll.channelMessageId, '+15551234567', ['Large']);
      const vote = await until(() => received.find((m) => m.choiceIds !== undefined), 'the poll vote');
      expect(vote).toMatchObject({ contact: '+15551234567', choiceIds: ['l'] });
    } finally {
      await first.stop();
    }
    expect(
      await processesUsingProfile(profileDirOf(join(dir, 'host-a', 'whatsapp', 'profiles'), numberId)),
    ).toEqual([]);
    const { rows } = await db.query('select version from whatsapp_sessions where number_id = $1', [numberId]);
    expect(rows).toHaveLength(1);
  }, 90_000);

  it('starts on another host from the saved session, with no QR code', async () => {
    updates.length = 0;
    const second = runtimeOn('host-b');
    try {
      await second.start();
      await until(() => updates.some((u) => u.state === 'connected'), 'connected from the saved session');
      expect(updates.some((u) => u.state === 'qr_pending')).toBe(false);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
