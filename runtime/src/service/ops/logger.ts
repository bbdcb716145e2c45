import { type Logger, pino } from 'pino';

export type { Logger };

/** JSON logs; `level` from PARLEY_LOG_LEVEL (default info, silent in tests unless asked). */
export function createLogger(
  name: string,
  level = process.env.PARLEY_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
): Logger {
  return pino({ name, level, base: { service: name, pid: process.pid } });
}
