import { envNumber } from '@parley/db';
export interface ApiConfig {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  redisUrl?: string;
  redisPrefix: string;
  adminEmail: string;
  adminPassword?: string;
  /** Signs access tokens (JWT_SECRET, else derived from PARLEY_SECRET_KEY). */
  jwtSecret: string;
  supabaseJwtSecret?: string;
  supabaseUrl?: string;
  corsOrigins: string[];
  bodyLimit: string;
  loginPerMinute: number;
  apiPerMinute: number;
  /** How long a simulator message waits for the runtime's answer (default 15 s). */
  simulatorTimeoutMs?: number;
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
    jwtSecret: env.JWT_SECRET || secret,
    ...(env.SUPABASE_JWT_SECRET ? { supabaseJwtSecret: env.SUPABASE_JWT_SECRET } : {}),
    ...(env.SUPABASE_URL ? { supabaseUrl: env.SUPABASE_URL } : {}),
    corsOrigins: (env.PARLEY_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    bodyLimit: env.PARLEY_BODY_LIMIT || '2mb',
    loginPerMinute: envNumber(env, 'PARLEY_LOGIN_PER_MINUTE', 10),
    apiPerMinute: envNumber(env, 'PARLEY_API_PER_MINUTE', 1200),
    simulatorTimeoutMs: envNumber(env, 'PARLEY_SIMULATOR_TIMEOUT_MS', 15_000),
  };
}
