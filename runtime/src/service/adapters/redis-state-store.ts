import { migrateState } from '@parley/engine';
import type { Redis } from 'ioredis';
import type { StateStore, VersionedState } from '../ports/state-store.js';

/** Conversation state in Redis with a TTL; a miss (expired, evicted, flushed) reloads the checkpoint. */
export class RedisStateStore implements StateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private key(key: string): string {
    return `${this.prefix}state:${key}`;
  }

  async get(key: string): Promise<VersionedState | null> {
    const raw = await this.redis.get(this.key(key));
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as VersionedState;
    return { ...parsed, state: migrateState(parsed.state) };
  }

  async set(key: string, value: VersionedState): Promise<void> {
    await this.redis.set(this.key(key), JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}
