import type { Redis } from 'ioredis';
import Redlock, { type Lock } from 'redlock';
import type { Locker } from '../ports/locker.js';
import { MemoryLocker } from './memory-locker.js';

export interface RedisLockerOptions {
  prefix: string;
  /** Lease length, renewed while the work runs; a holder that dies frees the key within this. */
  ttlMs?: number;
}

/**
 * Redlock across processes with a short lease that the holder keeps renewing while its work runs:
 * a process that dies (SIGKILL, OOM) stops renewing, so another one serves its contacts within
 * one lease (5 s) instead of waiting out a long one. Behind an in-process queue per key so one process never competes
 * with itself (that keeps Redis round trips to one acquire and one release per batch of work).
 */
export class RedisLocker implements Locker {
  private readonly redlock: Redlock;
  private readonly local = new MemoryLocker();
  private readonly ttlMs: number;

  constructor(
    redis: Redis,
    private readonly options: RedisLockerOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.redlock = new Redlock([redis], {
      retryCount: 600,
      retryDelay: 25,
      retryJitter: 25,
      driftFactor: 0.01,
    });
    // Redlock reports every failed attempt; contention is normal here, so they are not errors.
    this.redlock.on('error', () => undefined);
  }

  withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.local.withLock(key, async () => {
      let lock: Lock = await this.redlock.acquire([`${this.options.prefix}lock:${key}`], this.ttlMs);
      const renewal = setInterval(() => {
        this.redlock.extend(lock, this.ttlMs, { retryCount: 0 }).then(
          (extended) => {
            lock = extended;
          },
          // The next tick tries again; a lease that lapses anyway lets another process in, and
          // the checkpoint version then refuses this process's late write.
          () => undefined,
        );
      }, this.ttlMs / 3);
      try {
        return await work();
      } finally {
        clearInterval(renewal);
        // One attempt: a lock whose key is gone (expired, Redis flushed or restarted) fails to
        // release, and with the acquire retries (600) that failure would hold this key's queue
        // for ~20 s. An unreleased lock expires by itself.
        await this.redlock.release(lock, { retryCount: 0 }).catch(() => undefined);
      }
    });
  }

  async close(): Promise<void> {
    await this.local.close();
  }
}
