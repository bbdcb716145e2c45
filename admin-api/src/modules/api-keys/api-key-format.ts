import { createHash, randomBytes } from 'node:crypto';

/**
 * An API key: `pk_`, 8 hex characters (the prefix lists show, not secret), `_`, then 256 random
 * bits. The recognisable start routes a Bearer value to key lookup without trying it as a token.
 */
const KEY = /^pk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

export function isApiKey(bearer: string): boolean {
  return bearer.startsWith('pk_');
}

/** Whether the value has the exact shape of a key (anything else is refused without a lookup). */
export function isWellFormedApiKey(bearer: string): boolean {
  return KEY.test(bearer);
}

export function newApiKey(): { key: string; prefix: string } {
  const prefix = `pk_${randomBytes(4).toString('hex')}`;
  return { key: `${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** 256 random bits: a plain hash keeps keys useless to whoever reads the table. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
