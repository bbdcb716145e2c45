import type { Db } from '@parley/db';
import { Redis } from 'ioredis';
import type { Bus } from './bus.js';
import { MemoryBus } from './memory-bus.js';
import { PgBus } from './pg-bus.js';
import { RedisBus } from './redis-bus.js';

export interface ConnectedBus {
  bus: Bus;
  /** The command connection when Redis is used (rate limits and caches share it). */
  redis: Redis | null;
  close(): Promise<void>;
}

/** A connected Redis command client; commands issued in the same tick share one round trip. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  await redis.connect();
  return redis;
}

/** Redis pub/sub when REDIS_URL is set, else Postgres LISTEN/NOTIFY, else in-process (embedded). */
export async function connectBus(options: {
  redisUrl?: string;
  prefix: string;
  db: Db;
}): Promise<ConnectedBus> {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    const bus = options.db.kind === 'postgres' ? new PgBus(options.db, options.prefix) : new MemoryBus();
    return { bus, redis: null, close: () => bus.close() };
  }
  // A subscribed connection runs nothing else, so the bus gets its own.
  const subscriber = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const [redis] = await Promise.all([connectRedis(options.redisUrl), subscriber.connect()]);
  const bus = new RedisBus(redis, subscriber, options.prefix);
  return {
    bus,
    redis,
    close: async () => {
      await bus.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
