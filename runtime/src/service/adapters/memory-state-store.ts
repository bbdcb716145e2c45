import { LRUCache } from 'lru-cache';
import type { StateStore, VersionedState } from '../ports/state-store.js';

/** In-process state for embedded mode; bounded so idle contacts fall back to their checkpoint. */
export class MemoryStateStore implements StateStore {
  private readonly cache: LRUCache<string, VersionedState>;

  constructor(maxEntries = 50_000) {
    this.cache = new LRUCache({ max: maxEntries });
  }

  async get(key: string): Promise<VersionedState | null> {
    const value = this.cache.get(key);
    return value === undefined ? null : structuredClone(value);
  }

  async set(key: string, value: VersionedState): Promise<void> {
    this.cache.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    this.cache.delete(key);
  }
}
