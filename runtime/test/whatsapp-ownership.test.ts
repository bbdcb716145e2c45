import { randomUUID } from 'node:crypto';
import type { Db } from '@parley/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginProfileRepository } from '../src/service/channels/whatsapp/login-profile-repository.js';
import {
  LocalBackend,
  NotOwnerError,
  NumberOwnership,
  RedlockBackend,
} from '../src/service/channels/whatsapp/number-ownership.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase, createTestRedis, TEST_REDIS_URL } from './support/test-env.js';

// Ownership across "processes": each NumberOwnership here has its own Redis connection, as two
// runtime processes would, on the real Redis and Postgres.

let db: Db;
let drop: () => Promise<void>;
let prefix: string;
let cleanup: () => Promise<void>;
let admin: Redis;
const connections: Redis[] = [];
const repository = new LoginProfileRepository();

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
  ({ prefix, cleanup, redis: admin } = await createTestRedis());
});

afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await cleanup();
  await drop();
});

function process_(owner: string, leaseMs = 3_000): { ownership: NumberOwnership; redis: Redis } {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  connections.push(redis);
  const ownership = new NumberOwnership({
    backend: new RedlockBackend(redis),
    db,
    repository,
    owner,
    prefix,
    leaseMs,
  });
  return { ownership, redis };
}

const newNumber = async () => (await seedPublishedFlow(db, { schemaVersion: 1 }, 'whatsapp')).numberId;

describe('number ownership on Redis', () => {
  it('lets one process own a number at a time, with a fence bumped at every acquisition', async () => {
    const numberId = await newNumber();
    const a = process_('a').ownership;
    const b = process_('b').ownership;
    expect(await a.tryAcquire(numberId)).toBe(1);
    expect(await b.tryAcquire(numberId)).toBeNull();
    expect(a.owns(numberId)).toBe(true);
    expect(await a.isCurrent(numberId)).toBe(true);
    await a.release(numberId);
    expect(await b.tryAcquire(numberId)).toBe(2);
    expect(await a.isCurrent(numberId)).toBe(false);
    expect(await b.isCurrent(numberId)).toBe(true);
    await b.close();
  });

  it('keeps a healthy lease alive past its length', async () => {
    const numberId = await newNumber();
    const a = process_('a', 600).ownership;
    const b = process_('b', 600).ownership;
    expect(await a.tryAcquire(numberId)).not.toBeNull();
    // Outliving the lease's length is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(a.owns(numberId)).toBe(true);
    expect(await b.tryAcquire(numberId)).toBeNull();
    await a.close();
  });

  it('hands a dead process’s number to another within the lease time', async () => {
    const numberId = await newNumber();
    const dying = process_('dying', 1_000);
    const survivor = process_('survivor', 1_000).ownership;
    const lost: string[] = [];
    dying.ownership.onLost((id) => lost.push(id));
    expect(await dying.ownership.tryAcquire(numberId)).not.toBeNull();
    const diedAt = Date.now();
    dying.redis.disconnect(); // the process is gone: nothing extends its lease any more
    let fence: number | null = null;
    while (fence === null && Date.now() - diedAt < 5_000) {
      fence = await survivor.tryAcquire(numberId);
      if (fence === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(fence).not.toBeNull();
    expect(Date.now() - diedAt).toBeLessThan(1_600);
    expect(await dying.ownership.isCurrent(numberId)).toBe(false);
    await survivor.close();
  });

  it('reports a lease taken away at once, and fences the old owner out', async () => {
    const numberId = await newNumber();
    const a = process_('a', 1_500).ownership;
    const lost = new Promise<string>((resolve) => a.onLost((_id, reason) => resolve(reason)));
    expect(await a.tryAcquire(numberId)).toBe(1);
    // Redis lost the key (a flush, a failover) and another process took the number.
    await admin.set(`${prefix}wa:owner:${numberId}`, 'someone-else', 'PX', 10_000);
    await repository.bumpFence(db, numberId, 'b');
    const startedAt = Date.now();
    expect(await lost).toMatch(/could not be extended/);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(a.owns(numberId)).toBe(false);
    expect(await a.isCurrent(numberId)).toBe(false);
  });

  it('runs a number’s browser actions one at a time, and only while it is owned', async () => {
    const numberId = await newNumber();
    const a = process_('a').ownership;
    await a.tryAcquire(numberId);
    let running = 0;
    let most = 0;
    const action = () =>
      a.run(numberId, async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      });
    await Promise.all([action(), action(), action()]);
    expect(most).toBe(1);
    await a.release(numberId);
    await expect(a.run(numberId, async () => 'sent')).rejects.toBeInstanceOf(NotOwnerError);
  });
});

describe('number ownership without Redis', () => {
  it('is local to the process, still fenced in Postgres', async () => {
    const numberId = await newNumber();
    const local = new NumberOwnership({
      backend: new LocalBackend(),
      db,
      repository,
      owner: `local-${randomUUID()}`,
      prefix,
      leaseMs: 1_000,
    });
    expect(await local.tryAcquire(numberId)).toBe(1);
    expect(await local.tryAcquire(numberId)).toBe(1);
    // Outliving the lease's length is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(local.owns(numberId)).toBe(true);
    expect(await local.isCurrent(numberId)).toBe(true);
    await local.close();
    expect(local.owns(numberId)).toBe(false);
  });
});
