import { randomBytes } from 'node:crypto';
import { type Bus, busChannels, publish, subscribe } from '@parley/bus';
import {
  ApiKeyRefused,
  Conflict,
  Forbidden,
  Invalid,
  NotFound,
  RateLimited,
  SignInRefused,
  Unauthenticated,
} from '@parley/contract';
import { type Db, isUuid } from '@parley/db';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Caller, SignedInUser } from '../../http/route.js';
import { hashApiKey, isApiKey, isWellFormedApiKey } from '../api-keys/api-key-format.js';
import type { ApiKeysRepository } from '../api-keys/api-keys.repository.js';
import type { AuthRepository, Membership } from './auth.repository.js';
import { CallerCache } from './caller-cache.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';
import { hashResetCode } from './password-reset-code.js';
import type { PasswordResetsRepository } from './password-resets.repository.js';
import { TOKEN_ISSUER, TOKEN_TTL_SECONDS, type TokenSigner } from './tokens.js';

/** A key's last use is written at most this often (per process; the SQL also skips fresher ones). */
const KEY_USE_RECORD_MS = 60_000;

/** Supabase Auth: tokens signed with the project's JWT secret (HS256), or by its published keys (JWKS). */
export interface SupabaseAuthSettings {
  jwtSecret?: string;
  /** The project URL; its keys are read from `<url>/auth/v1/.well-known/jwks.json`. */
  url?: string;
  /** The `aud` the project's access tokens carry. */
  audience: string;
}

function bearerToken(authorization: string | undefined): string {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) throw new Unauthenticated();
  return token;
}

export interface SignedIn {
  token: string;
  user: { id: string; email: string; workspaces: Membership[]; passwordChangeRequired?: boolean };
}

/** Sign-in, sign-out and resolving the caller of a request. */
export class AuthService {
  private readonly supabaseKeys: JWTVerifyGetKey | null;
  private readonly callers = new CallerCache();
  /** Keys whose use this process recorded in the last minute: not a write per request. */
  private readonly keyUseRecorded = new LRUCache<string, true>({ max: 10_000, ttl: KEY_USE_RECORD_MS });
  /** Checked instead of a password hash for unknown emails, so the time taken does not tell. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
    private readonly repository: AuthRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly tokens: TokenSigner,
    private readonly throttle: LoginThrottle,
    private readonly supabase: SupabaseAuthSettings | null,
    private readonly logger: Logger,
  ) {
    this.supabaseKeys =
      supabase?.url === undefined
        ? null
        : createRemoteJWKSet(
            new URL('auth/v1/.well-known/jwks.json', `${supabase.url.replace(/\/+$/, '')}/`),
          );
  }

  /**
   * Signs in from `client` (its address); throws SignInRefused, alike for every kind of refusal. A
   * reset code typed as the password (a one-time password from an admin or the command line) signs
   * in once, into a session that must choose a new password first.
   */
  async login(email: string, password: string, client: string): Promise<SignedIn> {
    const user = await this.repository.userByEmail(this.db, email);
    // Known accounts are throttled by id, whatever spelling of their email is tried.
    const account = user === null ? `email:${email.trim().toLowerCase()}` : `user:${user.id}`;
    const turn = await this.throttle.reserve(account, client);
    if (!turn.granted) throw new SignInRefused(turn.waitSeconds);
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    const matches = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    const oneTime =
      !matches &&
      user !== null &&
      (await this.resets.redeemForUser(this.db, user.id, hashResetCode(password)));
    if (user === null || (!oneTime && (user.passwordHash === null || !matches))) {
      await this.throttle.failed(turn);
      throw new SignInRefused(turn.waitSeconds);
    }
    await this.throttle.succeeded(turn);
    const sessionId = await this.repository.createSession(this.db, user.id, TOKEN_TTL_SECONDS, oneTime);
    return {
      token: await this.tokens.sign({ userId: user.id, sessionId }),
      user: {
        id: user.id,
        email: user.email,
        workspaces: await this.repository.memberships(this.db, user.id),
        ...(oneTime ? { passwordChangeRequired: true } : {}),
      },
    };
  }

  async logout(caller: Caller): Promise<void> {
    if (caller.sessionId === null) return;
    await this.repository.revokeSession(this.db, caller.sessionId);
    this.forgetSession(caller.sessionId);
    await publish(this.bus, busChannels.sessionRevoked, { sessionId: caller.sessionId });
  }

  /**
   * Changes the caller's own password after checking the current one (throttled like signing in),
   * and ends their other sessions: someone who knew the old password is signed out everywhere. A
   * session opened with a one-time password needs no current password: that is what was lost.
   */
  async changePassword(
    user: SignedInUser,
    current: string | undefined,
    next: string,
    client: string,
  ): Promise<void> {
    const account = await this.repository.userById(this.db, user.userId);
    if (account === null || user.sessionId === null) {
      throw new Conflict('Your password is managed where you sign in (Supabase): change it there.');
    }
    const oneTime = await this.repository.passwordChangeRequired(this.db, user.sessionId);
    if (!oneTime) {
      if (account.passwordHash === null) {
        throw new Conflict('Your password is managed where you sign in (Supabase): change it there.');
      }
      if (current === undefined) {
        throw new Invalid('Type your current password.', {
          errors: [{ pointer: '/currentPassword', message: 'Type your current password.' }],
        });
      }
      const turn = await this.throttle.reserve(`user:${account.id}`, client);
      if (!turn.granted) {
        throw new RateLimited(
          `Too many wrong passwords. Try again in ${turn.waitSeconds} seconds.`,
          turn.waitSeconds,
        );
      }
      if (!(await verifyPassword(account.passwordHash, current))) {
        await this.throttle.failed(turn);
        throw new Invalid('Your current password is not right.', {
          errors: [{ pointer: '/currentPassword', message: 'This is not your current password.' }],
        });
      }
      await this.throttle.succeeded(turn);
    }
    await this.repository.setPassword(this.db, account.id, await hashPassword(next));
    await this.repository.passwordChanged(this.db, user.sessionId);
    await this.repository.revokeSessionsOf(this.db, account.id, user.sessionId);
    await this.accessChanged(account.id);
  }

  /**
   * Sets a new password with a one-time reset code an admin handed out, and ends every session of
   * the account: whoever had the old password is signed out. Wrong codes are throttled per client
   * like wrong passwords.
   */
  async redeemPasswordReset(code: string, newPassword: string, client: string): Promise<void> {
    const turn = await this.throttle.reserve('reset-code', client);
    if (!turn.granted) {
      throw new RateLimited(
        `Too many reset links tried from here. Try again in ${turn.waitSeconds} seconds.`,
        turn.waitSeconds,
      );
    }
    const passwordHash = await hashPassword(newPassword);
    const userId = await this.db.transaction(async (tx) => {
      const owner = await this.resets.redeem(tx, hashResetCode(code));
      if (owner !== null) await this.repository.setPassword(tx, owner, passwordHash);
      return owner;
    });
    if (userId === null) {
      await this.throttle.failed(turn);
      throw new Invalid(
        'This reset link does not work any more: it was used already, a newer one replaced it, or it expired. Ask your admin for a new one.',
        undefined,
        'reset_invalid',
      );
    }
    await this.throttle.succeeded(turn);
    await this.repository.revokeSessionsOf(this.db, userId, null);
    await this.accessChanged(userId);
  }

  /** Ends every session of the caller, this one included, on every API process. */
  async signOutEverywhere(user: SignedInUser): Promise<void> {
    await this.repository.revokeSessionsOf(this.db, user.userId, null);
    await this.accessChanged(user.userId);
  }

  /** A session was revoked (here or by another API process): its token stops working at once. */
  forgetSession(sessionId: string): void {
    this.callers.forgetSession(sessionId);
  }

  /** A person's role, membership or sessions changed: every API process checks their access again at once. */
  async accessChanged(userId: string): Promise<void> {
    this.callers.forgetUser(userId);
    await publish(this.bus, busChannels.accessChanged, { userId });
  }

  /** An API key was revoked: every API process refuses it from its next request. */
  async apiKeyRevoked(keyId: string): Promise<void> {
    this.callers.forgetApiKey(keyId);
    await publish(this.bus, busChannels.apiKeyRevoked, { keyId });
  }

  /** Listens for sessions and access other API processes revoke; resolves with the unsubscribe. */
  async listenForRevocations(): Promise<() => Promise<void>> {
    const stops = await Promise.all([
      subscribe(
        this.bus,
        busChannels.sessionRevoked,
        ({ sessionId }) => this.forgetSession(sessionId),
        this.logger,
      ),
      subscribe(
        this.bus,
        busChannels.accessChanged,
        ({ userId }) => this.callers.forgetUser(userId),
        this.logger,
      ),
      subscribe(
        this.bus,
        busChannels.apiKeyRevoked,
        ({ keyId }) => this.callers.forgetApiKey(keyId),
        this.logger,
      ),
    ]);
    return async () => {
      await Promise.all(stops.map((stop) => stop()));
    };
  }

  async me(caller: Caller): Promise<SignedIn['user'] & { workspaceId: string; role: Caller['role'] }> {
    const changeRequired =
      caller.sessionId !== null && (await this.repository.passwordChangeRequired(this.db, caller.sessionId));
    return {
      id: caller.userId,
      email: caller.email,
      workspaces: await this.repository.memberships(this.db, caller.userId),
      workspaceId: caller.workspaceId,
      role: caller.role,
      ...(changeRequired ? { passwordChangeRequired: true } : {}),
    };
  }

  /** The caller behind `Authorization: Bearer …`, acting in `X-Workspace-Id` (default: their first workspace). */
  async authenticate(
    authorization: string | undefined,
    workspaceHeader: string | undefined,
  ): Promise<Caller> {
    const token = bearerToken(authorization);
    const workspaceId = workspaceHeader === undefined || workspaceHeader === '' ? null : workspaceHeader;
    if (workspaceId !== null && !isUuid(workspaceId)) throw new NotFound('Workspace');
    const cached = this.callers.get(token, workspaceId);
    if (cached !== undefined) {
      if (cached.apiKeyId !== null) await this.recordKeyUse(cached.apiKeyId);
      return cached;
    }
    if (isApiKey(token)) return this.keyCaller(token, workspaceId);
    const { identity, access } = await this.session(token, workspaceId);
    // Signed in but in no workspace: 403, not 401, so clients keep the session and offer the invitations.
    if (access.membership === null)
      throw workspaceId === null
        ? new Forbidden(
            'You are not a member of any workspace yet. Accept an invitation, or ask an admin to add you.',
          )
        : new NotFound('Workspace');
    const caller: Caller = {
      userId: identity.userId,
      email: access.email,
      workspaceId: access.membership.workspaceId,
      role: access.membership.role,
      sessionId: identity.sessionId,
      apiKeyId: null,
    };
    this.callers.set(token, workspaceId, caller, identity.expiresAt);
    return caller;
  }

  /**
   * The caller an API key stands for: the key's workspace and role, recorded under the admin who
   * made it. A wrong key is a plain 401 (no lockout: there is no password to guess); the per-address
   * API rate limit counts it, as it counts any credential that does not verify.
   */
  private async keyCaller(key: string, workspaceId: string | null): Promise<Caller> {
    const found = isWellFormedApiKey(key) ? await this.apiKeys.access(this.db, hashApiKey(key)) : null;
    if (found === null) {
      throw new Unauthenticated(
        'This API key is not valid. Check that it was copied whole, or ask an admin of the workspace for a new one.',
        'api_key_invalid',
      );
    }
    if (found.revokedAt !== null) {
      throw new Unauthenticated(
        'This API key was revoked. Ask an admin of the workspace for a new one.',
        'api_key_revoked',
      );
    }
    if (found.expiresAt !== null && found.expiresAt.getTime() <= Date.now()) {
      throw new Unauthenticated(
        `This API key expired on ${found.expiresAt.toISOString().slice(0, 10)}. Ask an admin of the workspace for a new one.`,
        'api_key_expired',
      );
    }
    // A key belongs to one workspace: another one's header finds nothing, as for a non-member.
    if (workspaceId !== null && workspaceId !== found.workspaceId) throw new NotFound('Workspace');
    const caller: Caller = {
      userId: found.createdBy,
      email: found.creatorEmail,
      workspaceId: found.workspaceId,
      role: found.role,
      sessionId: null,
      apiKeyId: found.id,
    };
    this.callers.set(key, workspaceId, caller, found.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    await this.recordKeyUse(found.id);
    return caller;
  }

  private async recordKeyUse(keyId: string): Promise<void> {
    if (this.keyUseRecorded.has(keyId)) return;
    this.keyUseRecorded.set(keyId, true);
    try {
      await this.apiKeys.touch(this.db, keyId);
    } catch (error) {
      // The request goes on: a missed "last used" is not worth refusing it; the next minute retries.
      this.keyUseRecorded.delete(keyId);
      this.logger.warn({ err: error, apiKeyId: keyId }, 'could not record an API key’s last use');
    }
  }

  /** The user behind `Authorization: Bearer …`, whether or not they belong to a workspace (invitations). */
  async authenticateUser(authorization: string | undefined): Promise<SignedInUser> {
    const token = bearerToken(authorization);
    if (isApiKey(token)) {
      // A key that does not work is told so (401) first, as on every other route.
      await this.keyCaller(token, null);
      throw new ApiKeyRefused();
    }
    const { identity, access } = await this.session(token, null);
    return { userId: identity.userId, email: access.email, sessionId: identity.sessionId };
  }

  /** A token's user and session, refused unless the session is still valid. */
  private async session(token: string, workspaceId: string | null) {
    const identity = (await this.tokens.verify(token)) ?? (await this.supabaseIdentity(token));
    if (identity === null) throw new Unauthenticated('Your session is not valid. Sign in again.');
    const access = await this.repository.sessionAccess(
      this.db,
      identity.sessionId,
      identity.userId,
      workspaceId,
    );
    if (access === null || !access.sessionValid)
      throw new Unauthenticated('Your session has ended. Sign in again.');
    return { identity, access };
  }

  private verifySupabase(token: string, settings: SupabaseAuthSettings) {
    // Supabase access tokens must be for this project's audience and carry an expiry.
    const options = { audience: settings.audience, requiredClaims: ['exp', 'sub'] };
    // jose's own header reader: its errors, which get logged, never quote the token.
    const isHs256 = decodeProtectedHeader(token).alg === 'HS256';
    if (isHs256 && settings.jwtSecret !== undefined) {
      return jwtVerify(token, new TextEncoder().encode(settings.jwtSecret), {
        ...options,
        algorithms: ['HS256'],
      });
    }
    if (this.supabaseKeys === null) throw new Error('no Supabase key for this kind of token');
    return jwtVerify(token, this.supabaseKeys, { ...options, algorithms: ['RS256', 'ES256', 'EdDSA'] });
  }

  /**
   * A Supabase Auth access token, mapped to the Parley user linked to that Supabase user. A user not
   * linked yet is linked by email only when the token says Supabase verified that email and the
   * Parley user has no Supabase link: an unverified address, or a second Supabase account with the
   * same email, never takes over an account.
   */
  private async supabaseIdentity(
    token: string,
  ): Promise<{ userId: string; sessionId: null; expiresAt: number } | null> {
    if (this.supabase === null || isOurs(token)) return null;
    let payload: JWTPayload;
    try {
      ({ payload } = await this.verifySupabase(token, this.supabase));
    } catch (error) {
      this.refuseSupabase(`it does not verify: ${(error as Error).message}`);
      return null;
    }
    const sub = payload.sub as string;
    if (payload.role !== 'authenticated')
      return this.refuseSupabase(`its role is ${String(payload.role)}`, sub);
    if (!isUuid(sub)) return this.refuseSupabase('its subject is not a Supabase user id', sub);
    const identity = (user: { id: string }) => ({
      userId: user.id,
      sessionId: null,
      expiresAt: (payload.exp as number) * 1000,
    });
    const linked = await this.repository.userBySupabaseId(this.db, sub);
    if (linked !== null) return identity(linked);
    const email = verifiedEmail(payload);
    if (email === null) {
      return this.refuseSupabase('no Parley user is linked to it and its email is not verified', sub);
    }
    // A parallel request with the same token may have linked it a moment ago.
    const user =
      (await this.repository.linkSupabaseByEmail(this.db, email, sub)) ??
      (await this.repository.userBySupabaseId(this.db, sub));
    if (user === null) {
      return this.refuseSupabase(
        'no Parley user with its email is free to link (none, or linked to another)',
        sub,
      );
    }
    this.logger.info({ userId: user.id, supabaseUserId: sub }, 'Supabase user linked by verified email');
    return identity(user);
  }

  /** Says why (never the token itself) a Supabase token was refused. */
  private refuseSupabase(reason: string, supabaseUserId?: string): null {
    this.logger.info({ supabaseUserId }, `Supabase token refused: ${reason}`);
    return null;
  }
}

/** Our own token (issued by Parley): an expired or revoked one is not a Supabase token either. */
function isOurs(token: string): boolean {
  try {
    return decodeJwt(token).iss === TOKEN_ISSUER;
  } catch {
    // Not a JWT at all: the Supabase check refuses it and says so.
    return false;
  }
}

/**
 * The email of a Supabase token whose address Supabase confirmed: Supabase Auth sets
 * `user_metadata.email_verified` when the user confirms the address (or the identity provider
 * vouches for it).
 */
function verifiedEmail(payload: JWTPayload): string | null {
  const metadata = payload.user_metadata as { email_verified?: unknown } | undefined;
  return typeof payload.email === 'string' && payload.email !== '' && metadata?.email_verified === true
    ? payload.email
    : null;
}
