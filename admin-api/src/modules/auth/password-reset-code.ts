import { createHash, randomBytes } from 'node:crypto';

/** How long a reset an admin hands out works. */
export const PASSWORD_RESET_VALID_HOURS = 24;

/** Codes are 256 random bits: a plain hash keeps them useless to whoever reads the table. */
export function hashResetCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** A new code: 256 random bits, URL-safe (it travels in a link). */
export function newResetCode(): string {
  return randomBytes(32).toString('base64url');
}
