/**
 * Test helpers around the real whatsapp-web.js Client driven by the stand-in: launch with the system
 * Chromium, record events, and make sure no Chromium outlives a test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import wwebjs, { type ClientOptions, type Client as WClient } from 'whatsapp-web.js';
import type { WhatsAppStandin } from './standin.js';

const { Client, LocalAuth } = wwebjs;

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CLIENT_EVENTS = [
  'qr',
  'code',
  'authenticated',
  'auth_failure',
  'ready',
  'loading_screen',
  'message',
  'message_create',
  'message_ack',
  'message_reaction',
  'media_uploaded',
  'vote_update',
  'unread_count',
  'change_state',
  'disconnected',
  'call',
] as const;

export interface Recorded {
  name: string;
  args: unknown[];
  at: number;
}

/** Every client event, kept in order, with waiting helpers. */
export class EventLog {
  readonly events: Recorded[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(client: WClient) {
    for (const name of CLIENT_EVENTS) {
      client.on(name, (...args: unknown[]) => {
        this.events.push({ name, args, at: Date.now() });
        for (const wake of [...this.waiters]) wake();
      });
    }
  }

  all(name: string): Recorded[] {
    return this.events.filter((e) => e.name === name);
  }

  /** The first `name` event (already seen or future) whose arguments satisfy `predicate`. */
  waitFor<T = unknown>(
    name: string,
    predicate: (...args: never[]) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<[T, ...unknown[]]> {
    const matches = predicate as (...args: unknown[]) => boolean;
    const find = () => this.events.find((e) => e.name === name && matches(...e.args));
    const hit = find();
    if (hit) return Promise.resolve(hit.args as [T, ...unknown[]]);
    return new Promise((resolve, reject) => {
      const wake = () => {
        const found = find();
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(found.args as [T, ...unknown[]]);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(
          new Error(
            `no '${name}' event within ${timeoutMs} ms; saw: ${this.events.map((e) => e.name).join(', ')}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /** Resolve true if `name` fires within `ms`, false otherwise. */
  async firesWithin(name: string, ms: number): Promise<boolean> {
    return this.waitFor(name, () => true, ms).then(
      () => true,
      () => false,
    );
  }
}

export interface LaunchedClient {
  client: WClient;
  events: EventLog;
  /** LocalAuth's data path; the browser profile is `<dataPath>/session`. */
  dataPath: string;
  /** Resolves or rejects with `client.initialize()`. */
  initialized: Promise<void>;
}

const live = new Set<WClient>();

/** A real Client wired to the stand-in, with LocalAuth under `dataPath`; `initialize()` is started. */
export function launchClient(
  standin: WhatsAppStandin,
  dataPath: string,
  options: { extraArgs?: string[]; client?: Partial<ClientOptions> } = {},
): LaunchedClient {
  const client = new Client({
    ...standin.clientOptions(),
    authStrategy: new LocalAuth({ dataPath }),
    puppeteer: {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    },
    ...options.client,
  });
  live.add(client);
  const events = new EventLog(client);
  const initialized = client.initialize();
  initialized.catch(() => {});
  return { client, events, dataPath, initialized };
}

/** Destroy a client (idempotent, never throws). */
export async function destroyClient(client: WClient): Promise<void> {
  live.delete(client);
  await client.destroy().catch(() => {});
}

export async function destroyAllClients(): Promise<void> {
  await Promise.all([...live].map((client) => destroyClient(client)));
}

/** PIDs of processes whose command line mentions `needle` (e.g. a profile dir), and their descendants. */
export function processesMentioning(needle: string): number[] {
  const parents = new Map<number, number>();
  const matched = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmdline = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(join('/proc', entry, 'stat'), 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(pid, ppid);
      if (cmdline.includes(needle)) matched.add(pid);
    } catch {
      // the process exited meanwhile
    }
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!matched.has(pid) && matched.has(ppid)) {
        matched.add(pid);
        grew = true;
      }
    }
  }
  return [...matched].sort((a, b) => a - b);
}

/** SIGKILL, one by one, the processes `processesMentioning(needle)` finds. Returns how many. */
export function killProcessesMentioning(needle: string): number {
  const pids = processesMentioning(needle);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}
