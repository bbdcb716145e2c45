import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export const TOKEN_ISSUER = 'parley';
export const TOKEN_TTL_SECONDS = 12 * 3600;

export interface TokenClaims {
  userId: string;
  sessionId: string;
}

export interface VerifiedToken extends TokenClaims {
  /** Epoch ms. */
  expiresAt: number;
}

/** HS256 access tokens; the key is JWT_SECRET, or derived from PARLEY_SECRET_KEY. */
export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`parley-jwt:${secret}`).digest();
  }

  async sign(claims: TokenClaims, now = Date.now()): Promise<string> {
    return new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(TOKEN_ISSUER)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + TOKEN_TTL_SECONDS)
      .sign(this.key);
  }

  /** The claims of a valid token of ours, or null (bad signature, expired, someone else's). */
  async verify(token: string): Promise<VerifiedToken | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: TOKEN_ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, sessionId: payload.sid, expiresAt: (payload.exp ?? 0) * 1000 };
    } catch {
      // Not ours, tampered with or expired: the caller refuses it (or tries Supabase).
      return null;
    }
  }
}
