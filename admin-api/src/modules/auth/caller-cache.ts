import { LRUCache } from 'lru-cache';
import type { Caller } from '../../http/route.js';

/** How long a resolved caller is trusted without checking the token and Postgres again. */
export const CALLER_TTL_MS = 5_000;

/**
 * Callers resolved from a token (and workspace header) moments ago, so a busy client costs
 * neither a signature check nor a Postgres round trip per request. Only successes are kept, never
 * refusals, and only briefly (never past the token's expiry): a revoked session is forgotten at
 * once in the process that revoked it and, through the bus, in the others; the short lifetime
 * bounds what a lost bus message could leave behind.
 */
export class CallerCache {
  private readonly entries = new LRUCache<string, Caller>({ max: 10_000, ttl: CALLER_TTL_MS });

  private static key(token: string, workspaceHeader: string | null): string {
    return `${workspaceHeader ?? '-'} ${token}`;
  }

  get(token: string, workspaceHeader: string | null): Caller | undefined {
    return this.entries.get(CallerCache.key(token, workspaceHeader));
  }

  /** `tokenExpiresAt`: epoch ms, or Infinity for a key that does not expire. */
  set(token: string, workspaceHeader: string | null, caller: Caller, tokenExpiresAt: number): void {
    const ttl = Math.min(CALLER_TTL_MS, tokenExpiresAt - Date.now());
    if (ttl > 0) this.entries.set(CallerCache.key(token, workspaceHeader), caller, { ttl });
  }

  forgetSession(sessionId: string): void {
    this.forgetWhere((caller) => caller.sessionId === sessionId);
  }

  forgetUser(userId: string): void {
    this.forgetWhere((caller) => caller.userId === userId);
  }

  forgetApiKey(keyId: string): void {
    this.forgetWhere((caller) => caller.apiKeyId === keyId);
  }

  private forgetWhere(matches: (caller: Caller) => boolean): void {
    for (const [key, caller] of this.entries.entries()) {
      if (matches(caller)) this.entries.delete(key);
    }
  }
}
