/**
 * Test support shared by every package's integration tests and benchmarks: a throwaway database
 * with the migrations applied, and a Redis key prefix of its own, both cleaned up afterwards.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import type { Db, Queryable } from './db.js';
import { type S3MediaOptions, S3MediaStore } from './media/s3-media-store.js';
import { migrate } from './migrate.js';
import { createPgDb } from './pg-db.js';

/** Where the tests find Postgres and Redis (the machine's own services by default). */
export const TEST_POSTGRES_URL =
  process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** PARLEY_SECRET_KEY of the test API and runtimes, so both open what the other encrypted. */
export const TEST_SECRET_KEY = 'parley-test-secret-key-0123456789';
export const TEST_REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh database with Parley's migrations applied (unless `migrated: false`, for tests of the
 * migrations themselves); `drop()` removes it.
 */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ url: string; db: Db; drop: () => Promise<void> }> {
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
  if (options.migrated !== false) await migrate(db);
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

/** Creates a workspace, a simulator number and a published flow answering on it. */
export async function seedPublishedFlow(
  db: Queryable,
  definition: unknown,
  channel: 'simulator' | 'whatsapp' = 'simulator',
): Promise<{ workspaceId: string; numberId: string; flowId: string; versionId: string }> {
  const workspaceId = randomUUID();
  const numberId = randomUUID();
  const flowId = randomUUID();
  const versionId = randomUUID();
  const json = JSON.stringify(definition);
  await db.query('insert into workspaces (id, name) values ($1, $2)', [workspaceId, 'Test workspace']);
  await db.query(`insert into numbers (id, workspace_id, phone, channel) values ($1, $2, $3, $4)`, [
    numberId,
    workspaceId,
    `+1555${Math.floor(Math.random() * 1e7)}`,
    channel,
  ]);
  await db.query('insert into flows (id, workspace_id, name, draft) values ($1, $2, $3, $4::jsonb)', [
    flowId,
    workspaceId,
    'Test flow',
    json,
  ]);
  await db.query(
    `insert into flow_versions (id, workspace_id, flow_id, version, status, definition, checksum, published_at)
     values ($1, $2, $3, 1, 'published', $4::jsonb, $5, now())`,
    [versionId, workspaceId, flowId, json, createHash('sha256').update(json).digest('hex')],
  );
  await db.query('insert into number_flows (number_id, workspace_id, flow_id) values ($1, $2, $3)', [
    numberId,
    workspaceId,
    flowId,
  ]);
  return { workspaceId, numberId, flowId, versionId };
}

/**
 * A real S3-compatible server (s3rver, speaking the S3 protocol over HTTP) on an ephemeral port,
 * with a fresh bucket in a temporary folder; `close()` stops it and removes the folder.
 */
export async function createTestS3(): Promise<{
  options: S3MediaOptions;
  store: S3MediaStore;
  /** Every key in the bucket (to check what is left). */
  keys: () => Promise<string[]>;
  close: () => Promise<void>;
}> {
  // A test-only dependency, loaded only by the tests that use it.
  const { default: S3rver } = await import('s3rver');
  const directory = await mkdtemp(join(tmpdir(), 'parley-s3-'));
  const bucket = `parley-test-${randomBytes(4).toString('hex')}`;
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  const options: S3MediaOptions = {
    bucket,
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  const keys = async () => {
    const client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    client.destroy();
    return (listed.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
  };
  return {
    options,
    store: new S3MediaStore(options),
    keys,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
