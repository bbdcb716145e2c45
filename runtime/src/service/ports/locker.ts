/** Mutual exclusion per key across every runtime process sharing the work. */
export interface Locker {
  /** Runs `work` while holding the lock on `key`; waits for the lock first. */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
