import { createHash } from 'node:crypto';

/** How long a reset an admin hands out works. */
export const PASSWORD_RESET_VALID_HOURS = 24;

/** Codes are 256 random bits: a plain hash keeps them useless to whoever reads the table. */
export function hashResetCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}
