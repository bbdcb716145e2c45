import { envNumber } from '@parley/db';
import ipaddr from 'ipaddr.js';
import type { LoadSheddingConfig } from './http/load-shedding.js';
import type { MailSettings } from './mail/mailer.js';

/**
 * Which peers may say who the client is (X-Forwarded-For), as express's `trust proxy`: false (no
 * one: the connecting address is the client), a hop count, or addresses, CIDR ranges and the names
 * `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | string[];

export interface ApiConfig {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  redisPrefix: string;
  adminEmail: string;
  adminPassword?: string;
  /** PARLEY_SECRET_KEY (resolved): encrypts header values and signing secrets. */
  secretKey: string;
  /** PARLEY_SECRET_KEY_PREVIOUS during a key rotation: still decrypts. */
  previousSecretKey?: string;
  /** Signs access tokens (JWT_SECRET, else derived from PARLEY_SECRET_KEY). */
  jwtSecret: string;
  supabaseJwtSecret?: string;
  supabaseUrl?: string;
  /** The `aud` a Supabase access token must carry (default `authenticated`). */
  supabaseJwtAudience?: string;
  /** PARLEY_TRUST_PROXY; default: trust no proxy. */
  trustProxy?: TrustProxy;
  corsOrigins: string[];
  bodyLimit: string;
  /** Sign-in attempts per minute from one client, across all emails (successful ones are not counted). */
  loginPerMinute: number;
  apiPerMinute: number;
  /** Past these, requests are refused with 503 and Retry-After (see http/load-shedding.ts). */
  loadShedding: LoadSheddingConfig;
  /** How long a simulator message waits for the runtime's answer (default 15 s). */
  simulatorTimeoutMs?: number;
  /** PARLEY_ALERT_CHECK_S: how often alert rules are checked. */
  alertCheckMs?: number;
  /** The largest file the live test uploads (PARLEY_MEDIA_MAX_MB, default 16 MB). */
  mediaMaxBytes?: number;
  /** How long a media link in an export works (PARLEY_MEDIA_LINK_DAYS, default 7 days). */
  mediaLinkTtlMs?: number;
  /**
   * PARLEY_ALLOW_PRIVATE_HTTP=1, as the runtimes are started with: publish checks and the editor
   * then do not warn about private addresses (default: they do, as the runtimes refuse them).
   */
  allowPrivateHttp?: boolean;
  /** PARLEY_SMTP_URL and PARLEY_MAIL_FROM: mail goes out only when set. */
  mail?: MailSettings;
  /** PARLEY_PUBLIC_URL: where people open Parley, for links in mail (default: the address the request came to). */
  publicUrl?: string;
}

/** API settings from the environment; `secret` is the resolved PARLEY_SECRET_KEY. */
export function apiConfigFromEnv(secret: string, env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return {
    port: envNumber(env, 'PORT', 3000),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir: env.PARLEY_DATA_DIR || '.parley',
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    redisPrefix: env.PARLEY_REDIS_PREFIX || 'parley:',
    adminEmail: env.PARLEY_ADMIN_EMAIL || 'admin@parley.local',
    ...(env.PARLEY_ADMIN_PASSWORD ? { adminPassword: env.PARLEY_ADMIN_PASSWORD } : {}),
    secretKey: secret,
    ...(env.PARLEY_SECRET_KEY_PREVIOUS ? { previousSecretKey: env.PARLEY_SECRET_KEY_PREVIOUS } : {}),
    jwtSecret: env.JWT_SECRET || secret,
    ...(env.SUPABASE_JWT_SECRET ? { supabaseJwtSecret: env.SUPABASE_JWT_SECRET } : {}),
    ...(env.SUPABASE_URL ? { supabaseUrl: env.SUPABASE_URL } : {}),
    supabaseJwtAudience: env.SUPABASE_JWT_AUDIENCE || 'authenticated',
    trustProxy: parseTrustProxy(env.PARLEY_TRUST_PROXY ?? ''),
    corsOrigins: (env.PARLEY_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    bodyLimit: env.PARLEY_BODY_LIMIT || '2mb',
    loginPerMinute: envNumber(env, 'PARLEY_LOGIN_PER_MINUTE', 30),
    apiPerMinute: envNumber(env, 'PARLEY_API_PER_MINUTE', 1200),
    loadShedding: {
      maxInFlight: envNumber(env, 'PARLEY_API_MAX_IN_FLIGHT', 200, 0),
      maxLagMs: envNumber(env, 'PARLEY_API_MAX_LAG_MS', 1000, 0),
    },
    simulatorTimeoutMs: envNumber(env, 'PARLEY_SIMULATOR_TIMEOUT_MS', 15_000),
    alertCheckMs: envNumber(env, 'PARLEY_ALERT_CHECK_S', 60) * 1000,
    mediaMaxBytes: envNumber(env, 'PARLEY_MEDIA_MAX_MB', 16) * 1024 * 1024,
    mediaLinkTtlMs: envNumber(env, 'PARLEY_MEDIA_LINK_DAYS', 7) * 24 * 3600_000,
    // The runtime reads the same variable the same way (exactly "1").
    allowPrivateHttp: env.PARLEY_ALLOW_PRIVATE_HTTP === '1',
    ...(env.PARLEY_SMTP_URL
      ? { mail: { url: env.PARLEY_SMTP_URL, from: env.PARLEY_MAIL_FROM || 'Parley <parley@localhost>' } }
      : {}),
    ...(env.PARLEY_PUBLIC_URL ? { publicUrl: env.PARLEY_PUBLIC_URL } : {}),
  };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isCidr(value: string): boolean {
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    // Not a CIDR range: the caller says what is accepted.
    return false;
  }
}

/** PARLEY_TRUST_PROXY: empty trusts no one, a whole number is a hop count, anything else a list. */
export function parseTrustProxy(value: string): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (!PROXY_NAMES.includes(entry) && !ipaddr.isValid(entry) && !isCidr(entry)) {
      throw new Error(
        `PARLEY_TRUST_PROXY: "${entry}" is not loopback, linklocal, uniquelocal, an IP address or a CIDR range (or give a number of hops).`,
      );
    }
  }
  return entries;
}
