import type { Locker } from '../ports/locker.js';

/** Per-key mutex inside one process: callers of a key run one after another, in arrival order. */
export class MemoryLocker implements Locker {
  private readonly tails = new Map<string, Promise<unknown>>();

  async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.tails.values()]);
  }
}
