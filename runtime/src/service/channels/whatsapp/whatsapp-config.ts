import { join, resolve } from 'node:path';
import { envNumber } from '@parley/db';

/** Chromium flags that work headless in containers; more come from PARLEY_CHROMIUM_ARGS. */
export const DEFAULT_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Where whatsapp-web.js's LocalAuth keeps a number's Chromium profile. */
export function profileDirOf(profilesDir: string, numberId: string): string {
  return join(profilesDir, `session-${numberId}`);
}

/** Where the client gets WhatsApp Web's page: pinned to `webVersion` from a local or remote cache. */
export type WebCacheSetting =
  | { type: 'local'; path: string; strict: boolean }
  | { type: 'remote'; remotePath: string; strict: boolean }
  | { type: 'none' };

export interface WhatsAppConfig {
  /** Run the connection manager (default on; with no number to connect it launches nothing). */
  enabled: boolean;
  chromiumPath: string;
  chromiumArgs: string[];
  headless: boolean;
  /** The WhatsApp Web version to load (pinned with the cache below), e.g. `2.3000.1012345678`. */
  webVersion?: string;
  webCache: WebCacheSetting;
  /** Chromium profiles, one folder per number (plaintext while the number runs). */
  profilesDir: string;
  /** Numbers one process drives at most (each is one Chromium, ~300–500 MB). */
  maxNumbersPerProcess: number;
  /** Ownership lease; a dead owner's numbers are taken over within about this long. */
  leaseMs: number;
  /** How often a process looks for numbers to take (and numbers to let go). */
  scanMs: number;
  /** From launch (or `authenticated`) to `ready`; past it the browser is restarted. */
  readyTimeoutMs: number;
  /** Consecutive missed `ready`s before the number is marked failed (the pinned version may be stale). */
  maxReadyTimeouts: number;
  /** How long a QR code or pairing code is offered before the attempt is dropped. */
  qrTimeoutMs: number;
  reconnectBaseMs: number;
  reconnectMaxMs: number;
  /** Failed attempts in a row after which the number is `failed` (a person presses Try again). */
  maxAttempts: number;
  /** The same for a number that was connected since it last started (a dropped link usually comes back). */
  maxAttemptsConnected: number;
  /** Requested before each launch (null: no check); unreachable means no browser is started. */
  checkUrl: string | null;
  checkTimeoutMs: number;
  /** Restart a number's browser when its memory (PSS) exceeds this; 0: never. */
  maxMemoryBytes: number;
  memoryCheckMs: number;
  /** Restart every browser after it has run this long; 0: never. */
  restartEveryMs: number;
  /** Inbound messages older than this when they arrive are recorded but not answered. */
  maxMessageAgeMs: number;
  maxMediaBytes: number;
  /** Puppeteer resource types the page may not load (saves memory and bandwidth). */
  blockResources: string[];
  /** A contact's burst is collected this long, then handed over in timestamp order. */
  inboundDebounceMs: number;
  /** A multi-choice poll vote is taken once the voter stops changing it for this long. */
  pollSettleMs: number;
  /** First session backup this long after `ready` (WhatsApp keeps syncing keys at first). */
  backupDelayMs: number;
  backupIntervalMs: number;
  /** PARLEY_SECRET_KEY (resolved at start when absent, see resolveSecretKey). */
  secretKey?: string;
  /** The key before a rotation: still decrypts; each session is re-encrypted on its next save. */
  previousSecretKey?: string;
  /** Let outbound media come from loopback/private addresses (PARLEY_ALLOW_PRIVATE_HTTP). */
  allowPrivateMedia: boolean;
  /** Shown on the phone under "Linked devices" ('' leaves WhatsApp Web's own). */
  deviceName: string;
}

function listFrom(raw: string | undefined, fallback: string[]): string[] {
  if (raw === undefined) return fallback;
  return raw
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function webCacheFrom(env: NodeJS.ProcessEnv, dataDir: string): WebCacheSetting {
  const type = env.PARLEY_WA_WEB_CACHE || (env.PARLEY_WA_WEB_CACHE_URL ? 'remote' : 'local');
  // With a pinned version the page must be that version: never silently fall back to the live one.
  const strict = env.PARLEY_WA_WEB_CACHE_STRICT
    ? env.PARLEY_WA_WEB_CACHE_STRICT === '1'
    : Boolean(env.PARLEY_WA_WEB_VERSION);
  if (type === 'none') return { type: 'none' };
  if (type === 'remote') {
    if (!env.PARLEY_WA_WEB_CACHE_URL)
      throw new Error('PARLEY_WA_WEB_CACHE=remote needs PARLEY_WA_WEB_CACHE_URL');
    return { type: 'remote', remotePath: env.PARLEY_WA_WEB_CACHE_URL, strict };
  }
  if (type !== 'local') throw new Error(`PARLEY_WA_WEB_CACHE must be local, remote or none, got “${type}”`);
  return {
    type: 'local',
    path: resolve(env.PARLEY_WA_WEB_CACHE_DIR || join(dataDir, 'wa-web-cache')),
    strict,
  };
}

function checkUrlFrom(raw: string | undefined): string | null {
  if (raw === 'off') return null;
  const url = raw || 'https://web.whatsapp.com/';
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new Error(`PARLEY_WA_CHECK_URL must be an http(s) URL or off, got “${url}”`);
  return url;
}

/** WhatsApp settings from the environment (all optional; see docs/whatsapp.md). */
export function whatsappConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): WhatsAppConfig {
  const root = resolve(dataDir);
  const mb = 1024 * 1024;
  return {
    enabled: env.PARLEY_WHATSAPP !== '0',
    chromiumPath: env.PARLEY_CHROMIUM_PATH || '/usr/bin/chromium',
    chromiumArgs: [...DEFAULT_CHROMIUM_ARGS, ...listFrom(env.PARLEY_CHROMIUM_ARGS, [])],
    headless: env.PARLEY_WA_HEADLESS !== '0',
    ...(env.PARLEY_WA_WEB_VERSION ? { webVersion: env.PARLEY_WA_WEB_VERSION } : {}),
    webCache: webCacheFrom(env, root),
    profilesDir: resolve(env.PARLEY_WA_PROFILES_DIR || join(root, 'whatsapp', 'profiles')),
    maxNumbersPerProcess: envNumber(env, 'PARLEY_MAX_NUMBERS_PER_PROCESS', 10, 0),
    leaseMs: envNumber(env, 'PARLEY_WA_LEASE_MS', 30_000, 0),
    scanMs: envNumber(env, 'PARLEY_WA_SCAN_MS', 5_000, 0),
    readyTimeoutMs: envNumber(env, 'PARLEY_WA_READY_TIMEOUT_S', 120, 0) * 1000,
    maxReadyTimeouts: envNumber(env, 'PARLEY_WA_MAX_READY_TIMEOUTS', 5, 0),
    qrTimeoutMs: envNumber(env, 'PARLEY_WA_QR_TIMEOUT_S', 180, 0) * 1000,
    reconnectBaseMs: envNumber(env, 'PARLEY_WA_RECONNECT_BASE_MS', 2_000, 0),
    reconnectMaxMs: envNumber(env, 'PARLEY_WA_RECONNECT_MAX_MS', 300_000, 0),
    maxAttempts: envNumber(env, 'PARLEY_WA_MAX_ATTEMPTS', 5, 1),
    maxAttemptsConnected: envNumber(env, 'PARLEY_WA_MAX_ATTEMPTS_CONNECTED', 12, 1),
    checkUrl: checkUrlFrom(env.PARLEY_WA_CHECK_URL),
    checkTimeoutMs: envNumber(env, 'PARLEY_WA_CHECK_TIMEOUT_MS', 5_000, 1),
    maxMemoryBytes: envNumber(env, 'PARLEY_WA_MAX_MEMORY_MB', 900, 0) * mb,
    memoryCheckMs: envNumber(env, 'PARLEY_WA_MEMORY_CHECK_S', 60, 0) * 1000,
    restartEveryMs: envNumber(env, 'PARLEY_WA_RESTART_EVERY_H', 0, 0) * 3_600_000,
    maxMessageAgeMs: envNumber(env, 'PARLEY_WA_MAX_MESSAGE_AGE_S', 600, 0) * 1000,
    maxMediaBytes: envNumber(env, 'PARLEY_WA_MAX_MEDIA_MB', 16, 0) * mb,
    blockResources: listFrom(env.PARLEY_WA_BLOCK_RESOURCES, ['image', 'font', 'media']),
    inboundDebounceMs: envNumber(env, 'PARLEY_WA_INBOUND_DEBOUNCE_MS', 300, 0),
    pollSettleMs: envNumber(env, 'PARLEY_WA_POLL_SETTLE_MS', 4_000, 0),
    backupDelayMs: envNumber(env, 'PARLEY_WA_BACKUP_DELAY_S', 30, 0) * 1000,
    backupIntervalMs: envNumber(env, 'PARLEY_WA_BACKUP_INTERVAL_S', 900, 0) * 1000,
    ...(env.PARLEY_SECRET_KEY ? { secretKey: env.PARLEY_SECRET_KEY } : {}),
    ...(env.PARLEY_SECRET_KEY_PREVIOUS ? { previousSecretKey: env.PARLEY_SECRET_KEY_PREVIOUS } : {}),
    allowPrivateMedia: env.PARLEY_ALLOW_PRIVATE_HTTP === '1',
    deviceName: env.PARLEY_WA_DEVICE_NAME ?? 'Parley',
  };
}
