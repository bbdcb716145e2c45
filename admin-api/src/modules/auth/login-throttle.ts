import { createHash } from 'node:crypto';
import { RateLimited } from '@parley/contract';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { clientAddress } from '../../http/client-address.js';
import { createCounter } from '../../http/rate-limit.js';

/** The longest wait between two password checks for one email from one client. */
const MAX_WAIT_SECONDS = 15 * 60;
/** Consecutive failures are forgotten a day after the first one. */
const FAILURE_MEMORY_SECONDS = 24 * 3600;

/** The wait after `failures` consecutive wrong passwords: 1 s, 2 s, 4 s … at most 15 minutes. */
function waitAfterFailures(failures: number): number {
  return Math.min(2 ** Math.max(failures - 1, 0), MAX_WAIT_SECONDS);
}

/** A password check reserved for one email from one client, or how long until the next one. */
export type LoginTurn =
  | { granted: true; key: string; client: string; waitSeconds: number }
  | { granted: false; waitSeconds: number };

/**
 * Sign-in throttling per (account, client), decided before any password is checked. The account is
 * named by the caller: the user's id when the email is known, else the email itself.
 *
 * Each attempt first reserves the one password check allowed now for its email and client, as if
 * it were going to fail: the reservation holds the turn for the wait that failure would earn (1 s
 * after the first, then doubling). Parallel attempts therefore cannot slip in together: only the
 * holder of the turn gets its password checked; the others are refused. Success clears the
 * failures; a failure adds one. Only that email from that client waits, so no one elsewhere can
 * keep a user out. Across emails, a generous cap per client stops password spraying.
 */
export class LoginThrottle {
  private readonly turns: RateLimiterAbstract;
  private readonly failures: RateLimiterAbstract;
  private readonly clients: RateLimiterAbstract;

  constructor(perClientPerMinute: number, redis: Redis | null, prefix: string) {
    // One check per turn; each turn's length is given when it is reserved.
    this.turns = createCounter({ points: 1, duration: 1, name: 'login:turn' }, redis, prefix);
    // Only counted (penalty), never refused on.
    this.failures = createCounter(
      { points: Number.MAX_SAFE_INTEGER, duration: FAILURE_MEMORY_SECONDS, name: 'login:failures' },
      redis,
      prefix,
    );
    this.clients = createCounter(
      { points: perClientPerMinute, duration: 60, name: 'login:client' },
      redis,
      prefix,
    );
  }

  /** Throws `rate_limited` when this client has tried too often across all emails. */
  async reserve(account: string, ip: string): Promise<LoginTurn> {
    const client = clientAddress(ip);
    await this.consumeClient(client);
    // Hashed: Redis never holds emails in clear.
    const key = createHash('sha256').update(`${client}\n${account}`).digest('base64url');
    const failures = (await this.failures.get(key))?.consumedPoints ?? 0;
    const waitSeconds = waitAfterFailures(failures + 1);
    try {
      await this.turns.consume(key, 1, { customDuration: waitSeconds });
      return { granted: true, key, client, waitSeconds };
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      return { granted: false, waitSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
    }
  }

  /** The password was wrong (or the email unknown): the turn stays held for its wait. */
  async failed(turn: LoginTurn & { granted: true }): Promise<void> {
    await this.failures.penalty(turn.key);
  }

  /** Signed in: this email from this client starts afresh, and the attempt does not count for the client. */
  async succeeded(turn: LoginTurn & { granted: true }): Promise<void> {
    await Promise.all([
      this.failures.delete(turn.key),
      this.turns.delete(turn.key),
      this.clients.reward(turn.client),
    ]);
  }

  private async consumeClient(client: string): Promise<void> {
    try {
      await this.clients.consume(client);
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      throw new RateLimited(
        'Too many sign-in attempts from your network. Wait a minute and try again.',
        Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      );
    }
  }
}
