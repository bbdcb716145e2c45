import { LRUCache } from 'lru-cache';
import type { Membership } from './auth.repository.js';

/** What a request's token was found to grant: who the user is and their role in a workspace. */
export interface Access {
  email: string;
  membership: Membership;
}

/** How long a granted access is trusted without asking Postgres again. */
export const ACCESS_TTL_MS = 5_000;

/**
 * Recently granted accesses, so a busy client does not cost a Postgres round trip per request.
 * Only grants are kept, never refusals, and only briefly: a revoked session is forgotten at once
 * in the process that revoked it and, through the bus, in the others; the short lifetime bounds
 * what a lost bus message could leave behind.
 */
export class AccessCache {
  private readonly entries = new LRUCache<string, Access & { sessionId: string | null }>({
    max: 10_000,
    ttl: ACCESS_TTL_MS,
  });

  private static key(sessionId: string | null, userId: string, workspaceId: string | null): string {
    return `${sessionId ?? '-'} ${userId} ${workspaceId ?? '-'}`;
  }

  get(sessionId: string | null, userId: string, workspaceId: string | null): Access | undefined {
    return this.entries.get(AccessCache.key(sessionId, userId, workspaceId));
  }

  set(sessionId: string | null, userId: string, workspaceId: string | null, access: Access): void {
    this.entries.set(AccessCache.key(sessionId, userId, workspaceId), { ...access, sessionId });
  }

  forgetSession(sessionId: string): void {
    for (const [key, entry] of this.entries.entries()) {
      if (entry.sessionId === sessionId) this.entries.delete(key);
    }
  }
}
