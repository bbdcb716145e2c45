import { envNumber } from '@parley/db';
import { type WhatsAppConfig, whatsappConfigFromEnv } from './channels/whatsapp/whatsapp-config.js';
import { type OpsTokens, tokenFromEnv } from './ops/ops-tokens.js';
import type { SendPolicy } from './outbound/outbound-dispatcher.js';

export interface RuntimeConfig {
  port: number;
  /** Loopback by default: the runtime's endpoints are internal (a non-loopback host needs `tokens.internal`). */
  host: string;
  tokens: OpsTokens;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  /** Prefix of every Redis key and channel (tests give each run its own). */
  redisPrefix: string;
  /** How long conversation state stays in Redis after its last use. */
  stateTtlSeconds: number;
  allowPrivateHttp: boolean;
  /** PARLEY_SECRET_KEY (else the data dir's generated key): decrypts header values and signing secrets. */
  secretKey?: string;
  /** PARLEY_SECRET_KEY_PREVIOUS during a key rotation. */
  previousSecretKey?: string;
  timerPollMs: number;
  maintenanceMs: number;
  /** A send still `sending` after this long was cut off by a crash: requeued (checked with the channel first). */
  staleSendMs: number;
  /**
   * An http_request or ai_call effect unanswered after this long was cut off by a crash: re-run.
   * Keep it above the longest request or model call timeout (60 s), or a live process's call may run twice.
   */
  staleEffectMs: number;
  /** How long a number's published version is cached: a missed publish notice heals within it. */
  flowCacheTtlMs: number;
  /** A turn of the engine taking at least this long is logged (conversation and node). */
  slowTurnMs: number;
  /** Attempts of one http_request call (crashes included) before the flow follows its failure path (model calls: 2). */
  effectMaxAttempts: number;
  /** Send pacing for WhatsApp numbers (ban avoidance) and for simulator numbers. */
  whatsappSendPolicy: SendPolicy;
  simulatorSendPolicy: SendPolicy;
  /** WhatsApp sessions (absent: no connection manager). See docs/whatsapp.md. */
  whatsapp?: WhatsAppConfig;
}

/** Runtime settings from the environment; see .env.example for each. */
export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const dataDir = env.PARLEY_DATA_DIR || '.parley';
  return {
    port: envNumber(env, 'PARLEY_RUNTIME_PORT', envNumber(env, 'PORT', 3001)),
    host: env.PARLEY_RUNTIME_HOST || '127.0.0.1',
    tokens: {
      internal: tokenFromEnv(env, 'PARLEY_INTERNAL_TOKEN'),
      metrics: tokenFromEnv(env, 'PARLEY_METRICS_TOKEN'),
    },
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    dataDir,
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    redisPrefix: env.PARLEY_REDIS_PREFIX || 'parley:',
    stateTtlSeconds: envNumber(env, 'PARLEY_STATE_TTL_SECONDS', 24 * 3600),
    allowPrivateHttp: env.PARLEY_ALLOW_PRIVATE_HTTP === '1',
    ...(env.PARLEY_SECRET_KEY ? { secretKey: env.PARLEY_SECRET_KEY } : {}),
    ...(env.PARLEY_SECRET_KEY_PREVIOUS ? { previousSecretKey: env.PARLEY_SECRET_KEY_PREVIOUS } : {}),
    timerPollMs: envNumber(env, 'PARLEY_TIMER_POLL_MS', 1000),
    maintenanceMs: envNumber(env, 'PARLEY_MAINTENANCE_MS', 2000),
    staleSendMs: envNumber(env, 'PARLEY_STALE_SEND_MS', 30_000),
    staleEffectMs: envNumber(env, 'PARLEY_STALE_EFFECT_MS', 75_000),
    flowCacheTtlMs: envNumber(env, 'PARLEY_FLOW_CACHE_TTL_MS', 5000),
    slowTurnMs: envNumber(env, 'PARLEY_SLOW_TURN_MS', 500, 0),
    effectMaxAttempts: envNumber(env, 'PARLEY_EFFECT_MAX_ATTEMPTS', 3),
    whatsappSendPolicy: {
      perSecond: envNumber(env, 'PARLEY_SEND_PER_SECOND', 1),
      burst: envNumber(env, 'PARLEY_SEND_BURST', 5),
      typingMsPerChar: envNumber(env, 'PARLEY_TYPING_MS_PER_CHAR', 25),
      typingMaxMs: envNumber(env, 'PARLEY_TYPING_MAX_MS', 3000),
      maxAttempts: envNumber(env, 'PARLEY_SEND_MAX_ATTEMPTS', 5),
    },
    simulatorSendPolicy: { perSecond: 0, burst: 0, typingMsPerChar: 0, typingMaxMs: 0, maxAttempts: 5 },
    whatsapp: whatsappConfigFromEnv(env, dataDir),
  };
}
