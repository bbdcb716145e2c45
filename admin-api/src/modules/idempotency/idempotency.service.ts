import { createHash, randomUUID } from 'node:crypto';
import { Conflict, Invalid, Unprocessable } from '@parley/contract';
import type { Db } from '@parley/db';
import type { Logger } from 'pino';
import type { IdempotencyRepository, KeyScope, StoredResult } from './idempotency.repository.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Long enough for any idempotent write (the simulator waits 15 s for a reply), short enough that a crashed API's claim lapses soon. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A write's answer; 202 means its work is still pending, so it is not kept as the final answer. */
export interface IdempotentResult extends StoredResult {
  replayed: boolean;
}

/** The hash a key is tied to: the same key with another method, path or body is another request. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/** Reads the Idempotency-Key header: absent (null) or printable ASCII up to 255 characters. */
export function readIdempotencyKey(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  if (!KEY_PATTERN.test(value)) {
    throw new Invalid('The Idempotency-Key header is not valid.', [
      {
        pointer: '/headers/idempotency-key',
        message: 'Must be 1 to 255 printable characters without spaces, like a UUID.',
      },
    ]);
  }
  return value;
}

/**
 * Runs writes at most once per Idempotency-Key: the first request with a key claims it and its
 * answer is kept for 24 hours; a retry with the same key and the same request gets that answer
 * again, one with another request is refused. A request that failed (an error) forgets its key, so
 * the retry runs afresh; one that left its work pending (202) lets the retry run again and see.
 */
export class IdempotencyService {
  /** Identifies this API process in its claims: a claim of ours not running here was abandoned. */
  private readonly holder = randomUUID();
  private readonly running = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly repository: IdempotencyRepository,
    private readonly logger: Logger,
    private readonly leaseMs = IDEMPOTENCY_LEASE_MS,
  ) {}

  async run(scope: KeyScope, hash: string, handler: () => Promise<StoredResult>): Promise<IdempotentResult> {
    const id = `${scope.workspaceId} ${scope.userId} ${scope.key}`;
    if (this.running.has(id)) throw stillRunning();
    this.running.add(id);
    try {
      if (
        !(await this.repository.claim(this.db, scope, { hash, holder: this.holder, leaseMs: this.leaseMs }))
      )
        return await this.earlier(scope, hash);
      let result: StoredResult;
      try {
        result = await handler();
      } catch (error) {
        await this.repository.release(this.db, scope, this.holder).catch((cause: unknown) =>
          // The claim then lapses with its lease; until then a retry is told to wait.
          this.logger.warn({ err: cause }, 'could not release an idempotency key'),
        );
        throw error;
      }
      const kept =
        result.status === 202
          ? this.repository.unlock(this.db, scope, this.holder)
          : this.repository.complete(this.db, scope, this.holder, result);
      // The answer still goes out: a retry then finds the claim abandoned (ours, not running) and
      // runs the request again, which the idempotent writes behind these routes allow.
      await kept.catch((cause: unknown) =>
        this.logger.warn({ err: cause, status: result.status }, 'could not keep an idempotent answer'),
      );
      return { ...result, replayed: false };
    } finally {
      this.running.delete(id);
    }
  }

  private async earlier(scope: KeyScope, hash: string): Promise<IdempotentResult> {
    const record = await this.repository.find(this.db, scope);
    if (record !== null && record.requestHash !== hash) {
      throw new Unprocessable(
        'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
      );
    }
    if (record?.result === null || record === null) throw stillRunning();
    return { ...record.result, replayed: true };
  }
}

function stillRunning() {
  return new Conflict(
    'A request with this Idempotency-Key is still being handled. Wait for its answer, or try again in a few seconds.',
  );
}
