import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Bus, busChannels, RedisBus } from '@parley/bus';
import { Redis } from 'ioredis';
import type { SessionUpdate } from '../../src/service/channels/whatsapp/index.js';
import { killProcessesMentioning, processesMentioning } from '../whatsapp-standin/client-harness.js';
import type { WhatsAppStandin } from '../whatsapp-standin/standin.js';
import { TEST_REDIS_URL } from './test-env.js';

// Helpers for the WhatsApp tests that run real runtime processes (`runtime/dist/service/main.js`)
// with the real whatsapp-web.js Client and Chromium against the stand-in.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined/null/false); throws after `ms`. */
export async function until<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  ms = 20_000,
  describe?: () => string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${ms} ms waiting for ${what}${describe ? `\n${describe()}` : ''}`);
    await sleep(50);
  }
}

/** The environment of a runtime process whose numbers open the stand-in's page. */
export function whatsappEnv(options: {
  dataDir: string;
  webVersion: string;
  cacheDir: string;
  /** The stand-in's address, checked before each launch in place of web.whatsapp.com. */
  checkUrl: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    PARLEY_DATA_DIR: options.dataDir,
    PARLEY_WA_CHECK_URL: options.checkUrl,
    PARLEY_SECRET_KEY: 'a-whatsapp-test-secret-key-0123456789',
    PARLEY_WA_WEB_VERSION: options.webVersion,
    PARLEY_WA_WEB_CACHE_DIR: options.cacheDir,
    PARLEY_WA_SCAN_MS: '500',
    PARLEY_WA_INBOUND_DEBOUNCE_MS: '30',
    PARLEY_WA_RECONNECT_BASE_MS: '300',
    PARLEY_WA_RECONNECT_MAX_MS: '2000',
    // Chromium writes Local Storage to disk ~5 s after the page sets it (where the stand-in, like
    // WhatsApp Web, keeps its session token): an earlier live backup would save no login.
    PARLEY_WA_BACKUP_DELAY_S: '6',
    PARLEY_SEND_PER_SECOND: '20',
    PARLEY_SEND_BURST: '20',
    PARLEY_TYPING_MAX_MS: '50',
    PARLEY_LOG_LEVEL: 'info',
    ...options.extra,
  };
}

/** Every session update published for some numbers (the admin UI's live view), as the API would see it. */
export class SessionWatch {
  readonly updates: SessionUpdate[] = [];
  private constructor(
    private readonly bus: Bus,
    private readonly connections: Redis[],
  ) {}

  static async start(prefix: string, numberIds: string[]): Promise<SessionWatch> {
    const publisher = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const subscriber = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    const watch = new SessionWatch(new RedisBus(publisher, subscriber, prefix), [publisher, subscriber]);
    for (const numberId of numberIds) {
      await watch.bus.subscribe(busChannels.session(numberId).name, (message) =>
        watch.updates.push(message as SessionUpdate),
      );
    }
    return watch;
  }

  of(numberId: string, since = 0): SessionUpdate[] {
    return this.updates.filter((update) => update.numberId === numberId && update.at >= since);
  }

  /** The first update of the number since `since` matching `predicate` (waits for it). */
  waitFor(
    numberId: string,
    predicate: (update: SessionUpdate) => boolean,
    what: string,
    options: { since?: number; ms?: number } = {},
  ): Promise<SessionUpdate> {
    return until(
      () => this.of(numberId, options.since ?? 0).find(predicate),
      `${what} (number ${numberId.slice(0, 8)})`,
      options.ms ?? 20_000,
      () =>
        `updates: ${this.of(numberId, options.since ?? 0)
          .map((u) => `${u.state}${u.detail ? ` (${u.detail})` : ''}${u.qr ? ' [qr]' : ''}`)
          .join(' → ')}`,
    );
  }

  /** The states published for a number since `since`, in order, without repeats. */
  states(numberId: string, since = 0): string[] {
    const states: string[] = [];
    for (const { state } of this.of(numberId, since)) if (states.at(-1) !== state) states.push(state);
    return states;
  }

  /** Sends an admin command to the runtimes (what the admin API does). */
  command(command: Record<string, unknown>): Promise<void> {
    return this.bus.publish(busChannels.sessionCommands.name, command);
  }

  async close(): Promise<void> {
    await this.bus.close().catch(() => undefined);
    for (const connection of this.connections) connection.disconnect();
  }
}

export interface Browser {
  pid: number;
  ppid: number;
  /** The profile folder (`…/session-<numberId>`). */
  profile: string;
  numberId: string;
}

/** Chromium main processes (not their helpers) running on a profile under `root`. */
export function browsersUnder(root: string): Browser[] {
  const found: Browser[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0');
      if (args.some((arg) => arg.startsWith('--type='))) continue;
      const dirArg = args.find((arg) => arg.startsWith('--user-data-dir=') && arg.includes(root));
      if (dirArg === undefined) continue;
      const fields = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      const stat = fields.slice(fields.lastIndexOf(')') + 2).split(' ');
      // Zombies, and single-threaded processes Chromium just forked (they show the browser's
      // command line until they exec a helper, the crashpad handler's reparented to init).
      if (stat[0] === 'Z' || stat[17] === '1') continue;
      const profile = dirArg.slice('--user-data-dir='.length);
      found.push({
        pid: Number(entry),
        ppid: Number(stat[1]),
        profile,
        numberId: profile.slice(profile.lastIndexOf('session-') + 'session-'.length),
      });
    } catch {
      // gone meanwhile
    }
  }
  // A process Chromium just forked (before it execs a helper) still shows the browser's command line.
  const pids = new Set(found.map((browser) => browser.pid));
  return found.filter((browser) => !pids.has(browser.ppid));
}

/** Every process whose command line mentions `root` (Chromium and its helpers), with descendants. */
export const processesUnder = (root: string): number[] => processesMentioning(root);

/** Kills (SIGKILL) whatever still mentions `root`: the last line of defence of each test file. */
export function killEverythingUnder(root: string): number {
  return killProcessesMentioning(root);
}

/** Registers a synchronous exit handler that kills whatever still runs on the test's folder. */
export function killOnExit(root: () => string | undefined): void {
  process.once('exit', () => {
    const dir = root();
    if (dir !== undefined) killProcessesMentioning(dir);
  });
}

/** Texts and polls one stand-in account sent to a contact, in order. */
export function sentTo(standin: WhatsAppStandin, contact: string): string[] {
  const chatId = `${contact.replace(/\D/g, '')}@c.us`;
  return standin
    .sent()
    .filter((message) => message.chatId === chatId)
    .map((message) =>
      message.poll !== undefined
        ? `poll: ${message.poll.name} [${message.poll.options.join(' | ')}]`
        : (message.body ?? ''),
    );
}

/** Waits until the account has sent `count` messages to the contact; returns them all. */
export function waitForSentCount(
  standin: WhatsAppStandin,
  contact: string,
  count: number,
  ms = 20_000,
  describe?: () => string,
): Promise<string[]> {
  return until(
    () => {
      const sent = sentTo(standin, contact);
      return sent.length >= count ? sent : undefined;
    },
    `${count} messages to ${contact}`,
    ms,
    () => `sent so far: ${JSON.stringify(sentTo(standin, contact))}${describe ? `\n${describe()}` : ''}`,
  );
}
