/**
 * Test support shared by every package's integration tests and benchmarks: a throwaway database
 * with the migrations applied, and a Redis key prefix of its own, both cleaned up afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Db } from './db.js';
import { migrate } from './migrate.js';
import { createPgDb } from './pg-db.js';

/** Where the tests find Postgres and Redis (the machine's own services by default). */
export const TEST_POSTGRES_URL =
  process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database with Parley's migrations applied; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
  const admin = createPgDb({ connectionString: TEST_POSTGRES_URL, max: 1 });
  try {
    await admin.query('select 1');
  } catch (error) {
    await admin.close();
    throw new Error(
      `Postgres is not reachable at ${TEST_POSTGRES_URL} (${(error as Error).message}). Start it, or point PARLEY_TEST_POSTGRES_URL at one.`,
    );
  }
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = withDatabase(TEST_POSTGRES_URL, name);
  const db = createPgDb({ connectionString: url, max: 10 });
  await migrate(db);
  return {
    url,
    db,
    drop: async () => {
      await db.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}

/** A Redis connection and a key prefix of this test run's own; `cleanup()` deletes its keys. */
export async function createTestRedis(): Promise<{
  url: string;
  prefix: string;
  redis: Redis;
  cleanup: () => Promise<void>;
}> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(error as Error).message}). Start it, or point PARLEY_TEST_REDIS_URL at one.`,
    );
  }
  const prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
  return {
    url: TEST_REDIS_URL,
    prefix,
    redis,
    cleanup: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
