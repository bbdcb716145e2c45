import { type Bus, busChannels, type Db } from '@parley/db';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DomainError, forbidden, notFound, unauthenticated } from '../../errors/domain-errors.js';
import type { Caller, SignedInUser } from '../../http/route.js';
import type { AuthRepository, Membership } from './auth.repository.js';
import { CallerCache } from './caller-cache.js';
import { verifyPassword } from './password.js';
import { TOKEN_TTL_SECONDS, type TokenSigner } from './tokens.js';

const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Supabase Auth: tokens signed with the project's JWT secret (HS256), or by its published keys (JWKS). */
export interface SupabaseAuthSettings {
  jwtSecret?: string;
  /** The project URL; its keys are read from `<url>/auth/v1/.well-known/jwks.json`. */
  url?: string;
}

function bearerToken(authorization: string | undefined): string {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) throw unauthenticated();
  return token;
}

export interface SignedIn {
  token: string;
  user: { id: string; email: string; workspaces: Membership[] };
}

/** Sign-in, sign-out and resolving the caller of a request. */
export class AuthService {
  private readonly supabaseKeys: JWTVerifyGetKey | null;
  private readonly callers = new CallerCache();

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly repository: AuthRepository,
    private readonly tokens: TokenSigner,
    private readonly supabase: SupabaseAuthSettings | null,
  ) {
    this.supabaseKeys =
      supabase?.url === undefined
        ? null
        : createRemoteJWKSet(
            new URL('auth/v1/.well-known/jwks.json', `${supabase.url.replace(/\/+$/, '')}/`),
          );
  }

  async login(email: string, password: string): Promise<SignedIn> {
    const user = await this.repository.userByEmail(this.db, email);
    // Same answer for an unknown email and a wrong password: no account discovery.
    const failure = new DomainError('unauthenticated', 'The email or password is not right.');
    if (user === null || user.passwordHash === null) throw failure;
    if (user.lockedUntil !== null && user.lockedUntil.getTime() > Date.now()) {
      throw new DomainError('locked', 'Too many failed sign-ins. Try again in a few minutes.');
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      await this.repository.recordFailure(this.db, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
      throw failure;
    }
    await this.repository.recordSuccess(this.db, user.id);
    const sessionId = await this.repository.createSession(this.db, user.id, TOKEN_TTL_SECONDS);
    return {
      token: await this.tokens.sign({ userId: user.id, sessionId }),
      user: {
        id: user.id,
        email: user.email,
        workspaces: await this.repository.memberships(this.db, user.id),
      },
    };
  }

  async logout(caller: Caller): Promise<void> {
    if (caller.sessionId === null) return;
    await this.repository.revokeSession(this.db, caller.sessionId);
    this.forgetSession(caller.sessionId);
    await this.bus.publish(busChannels.sessionRevoked, { sessionId: caller.sessionId });
  }

  /** A session was revoked (here or by another API process): its token stops working at once. */
  forgetSession(sessionId: string): void {
    this.callers.forgetSession(sessionId);
  }

  /** Listens for sessions other API processes revoke; resolves with the unsubscribe. */
  listenForRevocations(): Promise<() => Promise<void>> {
    return this.bus.subscribe(busChannels.sessionRevoked, (message) => {
      const sessionId = (message as { sessionId?: unknown } | null)?.sessionId;
      if (typeof sessionId === 'string') this.forgetSession(sessionId);
    });
  }

  async me(caller: Caller): Promise<SignedIn['user'] & { workspaceId: string; role: Caller['role'] }> {
    return {
      id: caller.userId,
      email: caller.email,
      workspaces: await this.repository.memberships(this.db, caller.userId),
      workspaceId: caller.workspaceId,
      role: caller.role,
    };
  }

  /** The caller behind `Authorization: Bearer …`, acting in `X-Workspace-Id` (default: their first workspace). */
  async authenticate(
    authorization: string | undefined,
    workspaceHeader: string | undefined,
  ): Promise<Caller> {
    const token = bearerToken(authorization);
    const workspaceId = workspaceHeader === undefined || workspaceHeader === '' ? null : workspaceHeader;
    if (workspaceId !== null && !UUID.test(workspaceId)) throw notFound('Workspace');
    const cached = this.callers.get(token, workspaceId);
    if (cached !== undefined) return cached;
    const { identity, access } = await this.session(token, workspaceId);
    // Signed in but in no workspace: 403, not 401, so clients keep the session and offer the invitations.
    if (access.membership === null)
      throw workspaceId === null
        ? forbidden(
            'You are not a member of any workspace yet. Accept an invitation, or ask an admin to add you.',
          )
        : notFound('Workspace');
    const caller: Caller = {
      userId: identity.userId,
      email: access.email,
      workspaceId: access.membership.workspaceId,
      role: access.membership.role,
      sessionId: identity.sessionId,
    };
    this.callers.set(token, workspaceId, caller, identity.expiresAt);
    return caller;
  }

  /** The user behind `Authorization: Bearer …`, whether or not they belong to a workspace (invitations). */
  async authenticateUser(authorization: string | undefined): Promise<SignedInUser> {
    const { identity, access } = await this.session(bearerToken(authorization), null);
    return { userId: identity.userId, email: access.email, sessionId: identity.sessionId };
  }

  /** A token's user and session, refused unless the session is still valid. */
  private async session(token: string, workspaceId: string | null) {
    const identity = (await this.tokens.verify(token)) ?? (await this.supabaseIdentity(token));
    if (identity === null) throw unauthenticated('Your session is not valid. Sign in again.');
    const access = await this.repository.sessionAccess(
      this.db,
      identity.sessionId,
      identity.userId,
      workspaceId,
    );
    if (access === null || !access.sessionValid)
      throw unauthenticated('Your session has ended. Sign in again.');
    return { identity, access };
  }

  private verifySupabase(token: string) {
    const secret = this.supabase?.jwtSecret;
    const isHs256 =
      JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString() || '{}').alg === 'HS256';
    if (isHs256 && secret !== undefined) {
      return jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    }
    if (this.supabaseKeys === null) throw new Error('no Supabase key for this token');
    return jwtVerify(token, this.supabaseKeys, { algorithms: ['RS256', 'ES256', 'EdDSA'] });
  }

  /** A Supabase Auth access token, mapped to the Parley user with that Supabase id or email. */
  private async supabaseIdentity(
    token: string,
  ): Promise<{ userId: string; sessionId: null; expiresAt: number } | null> {
    if (this.supabase === null) return null;
    try {
      const { payload } = await this.verifySupabase(token);
      if (typeof payload.sub !== 'string') return null;
      const email = typeof payload.email === 'string' ? payload.email : null;
      const user = await this.repository.userBySupabaseId(this.db, payload.sub, email);
      if (user === null) return null;
      await this.repository.linkSupabase(this.db, user.id, payload.sub);
      // Supabase tokens carry exp; one without it is not cached.
      return { userId: user.id, sessionId: null, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch {
      return null;
    }
  }
}
