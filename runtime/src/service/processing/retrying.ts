import { isDataError } from '@parley/db';
import { InvalidFlowError } from '@parley/engine';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';
import { VersionConflictError } from '../repositories/checkpoint-repository.js';
import { UnknownNumberError } from './processing-errors.js';

export interface RetryOptions {
  what: string;
  logger: Logger;
  metrics: RuntimeMetrics;
  /** Give up (rethrow) after this long; default: never, the work is durable and must finish. */
  giveUpAfterMs?: number;
  /** Runs before retrying after a checkpoint version conflict (e.g. drop cached state). */
  onConflict?: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Errors that no retry can fix (an unknown number, data Postgres refuses): thrown at once. */
function isPermanent(error: unknown): boolean {
  return isDataError(error) || error instanceof UnknownNumberError || error instanceof InvalidFlowError;
}

/**
 * Retries `work` with exponential backoff and jitter while Postgres or Redis are unavailable; a
 * version conflict retries at once after `onConflict`.
 */
export async function retrying<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (isPermanent(error)) throw error;
      if (error instanceof VersionConflictError) {
        options.metrics.errors.inc({ kind: 'version_conflict' });
        await options.onConflict?.();
        if (attempt < 20) continue;
      }
      options.metrics.errors.inc({ kind: 'retry' });
      if (options.giveUpAfterMs !== undefined && Date.now() - started > options.giveUpAfterMs) throw error;
      const delay = Math.min(5_000, 50 * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random() / 2);
      options.logger.warn(
        { err: error, attempt },
        `could not ${options.what}; retrying in ${Math.round(delay)} ms`,
      );
      await sleep(delay);
    }
  }
}
