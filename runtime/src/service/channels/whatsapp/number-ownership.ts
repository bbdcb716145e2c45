import type { Db } from '@parley/db';
import type { Redis } from 'ioredis';
import Redlock, { type Lock } from 'redlock';
import { MemoryLocker } from '../../adapters/memory-locker.js';
import type { LoginProfileRepository } from './login-profile-repository.js';

/** Where leases are kept: Redlock on Redis across processes, or this process alone (embedded). */
export interface LeaseBackend {
  /** One try; null when another holder has it. */
  acquire(key: string, ttlMs: number): Promise<LeaseHandle | null>;
  /** Throws when the lease could not be extended. */
  extend(handle: LeaseHandle, ttlMs: number): Promise<LeaseHandle>;
  release(handle: LeaseHandle): Promise<void>;
}

export interface LeaseHandle {
  /** Epoch ms after which the lease may belong to someone else. */
  expiresAt: number;
}

export class RedlockBackend implements LeaseBackend {
  private readonly redlock: Redlock;

  constructor(redis: Redis) {
    this.redlock = new Redlock([redis], { retryCount: 0, driftFactor: 0.01 });
    // Redlock emits `error` on every failed attempt (contention is normal here).
    this.redlock.on('error', () => undefined);
  }

  async acquire(key: string, ttlMs: number): Promise<LeaseHandle | null> {
    try {
      const lock = await this.redlock.acquire([key], ttlMs);
      return { expiresAt: lock.expiration, lock } as LeaseHandle;
    } catch {
      return null;
    }
  }

  async extend(handle: LeaseHandle, ttlMs: number): Promise<LeaseHandle> {
    const lock = await (handle as LeaseHandle & { lock: Lock }).lock.extend(ttlMs);
    return { expiresAt: lock.expiration, lock } as LeaseHandle;
  }

  async release(handle: LeaseHandle): Promise<void> {
    // One attempt, failure ignored: a lease that cannot be released expires by itself.
    await this.redlock
      .release((handle as LeaseHandle & { lock: Lock }).lock, { retryCount: 0 })
      .catch(() => undefined);
  }
}

/** Without Redis only this process drives numbers: a lease is a set entry. */
export class LocalBackend implements LeaseBackend {
  private readonly held = new Set<string>();

  async acquire(key: string): Promise<LeaseHandle | null> {
    if (this.held.has(key)) return null;
    this.held.add(key);
    return { expiresAt: Number.POSITIVE_INFINITY, key } as LeaseHandle;
  }

  async extend(handle: LeaseHandle): Promise<LeaseHandle> {
    return handle;
  }

  async release(handle: LeaseHandle): Promise<void> {
    this.held.delete((handle as LeaseHandle & { key: string }).key);
  }
}

export class NotOwnerError extends Error {
  constructor(readonly numberId: string) {
    super(`This runtime does not own number ${numberId}`);
    this.name = 'NotOwnerError';
  }
}

interface Held {
  handle: LeaseHandle;
  fence: number;
  timer: NodeJS.Timeout | null;
}

export interface OwnershipDeps {
  backend: LeaseBackend;
  db: Db;
  repository: LoginProfileRepository;
  /** This process, as recorded in `whatsapp_leases.owner` and `session_events.owner`. */
  owner: string;
  prefix: string;
  leaseMs: number;
  now?: () => number;
}

/**
 * Which numbers this process drives. A number is driven only under its lease (Redlock on Redis,
 * auto-extended every third of its length; a process that dies frees its numbers within one
 * lease). Each acquisition bumps the number's fencing token in Postgres; sends and session saves
 * check it, so an owner that stalled past its lease cannot act after another took over. A lease
 * that cannot be extended is reported at once (`onLost`): its browser must stop immediately.
 * Browser actions of a number run one at a time, and only while the number is owned (`run`).
 */
export class NumberOwnership {
  private readonly held = new Map<string, Held>();
  private readonly queue = new MemoryLocker();
  private readonly lostListeners: ((numberId: string, reason: string) => void)[] = [];
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly deps: OwnershipDeps) {
    this.now = deps.now ?? Date.now;
  }

  private key(numberId: string): string {
    return `${this.deps.prefix}wa:owner:${numberId}`;
  }

  onLost(listener: (numberId: string, reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  owns(numberId: string): boolean {
    const held = this.held.get(numberId);
    return held !== undefined && this.now() < held.handle.expiresAt;
  }

  get count(): number {
    return this.held.size;
  }

  ownedNumbers(): string[] {
    return [...this.held.keys()];
  }

  fenceOf(numberId: string): number | null {
    return this.held.get(numberId)?.fence ?? null;
  }

  /** One try at taking a number; its new fence, or null when another process has it. */
  async tryAcquire(numberId: string): Promise<number | null> {
    if (this.closed) return null;
    if (this.held.has(numberId)) return this.held.get(numberId)?.fence ?? null;
    const handle = await this.deps.backend.acquire(this.key(numberId), this.deps.leaseMs);
    if (handle === null) return null;
    let fence: number;
    try {
      fence = await this.deps.repository.bumpFence(this.deps.db, numberId, this.deps.owner);
    } catch (error) {
      await this.deps.backend.release(handle);
      throw error;
    }
    const held: Held = { handle, fence, timer: null };
    this.held.set(numberId, held);
    this.scheduleExtend(numberId, held);
    return fence;
  }

  private scheduleExtend(numberId: string, held: Held): void {
    if (!Number.isFinite(held.handle.expiresAt)) return;
    held.timer = setTimeout(() => void this.extend(numberId, held), Math.max(50, this.deps.leaseMs / 3));
    held.timer.unref();
  }

  private async extend(numberId: string, held: Held): Promise<void> {
    if (this.held.get(numberId) !== held) return;
    // Past expiry (a stalled event loop) another process may already own it.
    if (this.now() >= held.handle.expiresAt)
      return this.lose(numberId, held, 'the lease expired before it was extended');
    try {
      held.handle = await this.deps.backend.extend(held.handle, this.deps.leaseMs);
      if (this.held.get(numberId) === held) this.scheduleExtend(numberId, held);
    } catch (error) {
      if (this.held.get(numberId) !== held) return;
      // Redis may be briefly away: retry while the lease lasts, unless someone else took over.
      const fence = await this.deps.repository.currentFence(this.deps.db, numberId).catch(() => held.fence);
      const margin = this.deps.leaseMs / 6;
      if (fence !== held.fence || this.now() >= held.handle.expiresAt - margin) {
        return this.lose(numberId, held, `the lease could not be extended: ${(error as Error).message}`);
      }
      held.timer = setTimeout(() => void this.extend(numberId, held), Math.min(500, margin));
      held.timer.unref();
    }
  }

  private lose(numberId: string, held: Held, reason: string): void {
    if (this.held.get(numberId) !== held) return;
    if (held.timer !== null) clearTimeout(held.timer);
    this.held.delete(numberId);
    for (const listener of this.lostListeners) listener(numberId, reason);
  }

  /** Whether this process still owns the number and its fence is the current one (before a send). */
  async isCurrent(numberId: string): Promise<boolean> {
    const held = this.held.get(numberId);
    if (held === undefined || !this.owns(numberId)) return false;
    return (await this.deps.repository.currentFence(this.deps.db, numberId)) === held.fence;
  }

  /** Runs a browser action for the number after the ones before it, only while it is owned. */
  run<T>(numberId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.withLock(numberId, async () => {
      if (!this.owns(numberId)) throw new NotOwnerError(numberId);
      return work();
    });
  }

  /** Runs work in the number's queue whether owned or not (closing a browser after a loss). */
  serialized<T>(numberId: string, work: () => Promise<T>): Promise<T> {
    return this.queue.withLock(numberId, work);
  }

  async release(numberId: string): Promise<void> {
    const held = this.held.get(numberId);
    if (held === undefined) return;
    if (held.timer !== null) clearTimeout(held.timer);
    this.held.delete(numberId);
    await this.deps.backend.release(held.handle);
  }

  /** Releases every lease (shutdown, after the browsers are closed). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.ownedNumbers().map((numberId) => this.release(numberId)));
  }
}
