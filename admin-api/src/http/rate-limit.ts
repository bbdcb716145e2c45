import { RateLimited } from '@parley/contract';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

export interface CounterOptions {
  points: number;
  /** Seconds a counter lives after its first point. */
  duration: number;
  /** Names this kind of counter (`rl:api`, `login:turn`, …). */
  name: string;
}

/**
 * A counter in Redis when configured (shared by every API process), in process otherwise. If Redis
 * fails, the same counter carries on in process rather than letting everything through.
 */
export function createCounter(
  options: CounterOptions,
  redis: Redis | null,
  prefix: string,
): RateLimiterAbstract {
  const memory = new RateLimiterMemory({
    points: options.points,
    duration: options.duration,
    keyPrefix: options.name,
  });
  if (redis === null) return memory;
  return new RateLimiterRedis({
    storeClient: redis,
    points: options.points,
    duration: options.duration,
    keyPrefix: `${prefix}${options.name}`,
    insuranceLimiter: memory,
  });
}

/** API requests per minute per caller: the signed-in user, or the client address for everyone else. */
export class RateLimiter {
  private readonly api: RateLimiterAbstract;

  constructor(apiPerMinute: number, redis: Redis | null, prefix: string) {
    this.api = createCounter({ points: apiPerMinute, duration: 60, name: 'rl:api' }, redis, prefix);
  }

  async consumeApi(key: string): Promise<void> {
    try {
      await this.api.consume(key);
    } catch (result) {
      if (result instanceof RateLimiterRes) {
        throw new RateLimited(
          'Too many requests. Wait a moment and try again.',
          Math.ceil(result.msBeforeNext / 1000),
        );
      }
      throw result;
    }
  }
}
