import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { DomainError } from '../errors/domain-errors.js';

export interface RateLimits {
  /** Sign-in attempts per minute per IP and email. */
  loginPerMinute: number;
  /** Requests per minute per caller (user, or IP when anonymous). */
  apiPerMinute: number;
}

/** Counters in Redis when configured (shared by every API process), in process otherwise. */
export class RateLimiter {
  private readonly login: RateLimiterAbstract;
  private readonly api: RateLimiterAbstract;

  constructor(limits: RateLimits, redis: Redis | null, prefix: string) {
    const make = (points: number, keyPrefix: string) =>
      redis === null
        ? new RateLimiterMemory({ points, duration: 60, keyPrefix })
        : new RateLimiterRedis({
            storeClient: redis,
            points,
            duration: 60,
            keyPrefix: `${prefix}${keyPrefix}`,
          });
    this.login = make(limits.loginPerMinute, 'rl:login');
    this.api = make(limits.apiPerMinute, 'rl:api');
  }

  consumeLogin(key: string): Promise<void> {
    return this.consume(this.login, key);
  }

  consumeApi(key: string): Promise<void> {
    return this.consume(this.api, key);
  }

  private async consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (result) {
      if (result instanceof RateLimiterRes) {
        throw new DomainError('rate_limited', 'Too many requests. Wait a moment and try again.', {
          retryAfterSeconds: Math.ceil(result.msBeforeNext / 1000),
        });
      }
      // The counter store is down: serving beats refusing everyone.
    }
  }
}
