import type { Queryable } from '@parley/db';

/** One-time password resets, kept as hashes of their codes. */
export class PasswordResetsRepository {
  /** A new reset for the user; any earlier one not used yet stops working. */
  async create(
    tx: Queryable,
    reset: { userId: string; codeHash: string; createdBy: string | null; validHours: number },
  ): Promise<Date> {
    await tx.query(
      'update password_resets set expires_at = now() where user_id = $1 and used_at is null and expires_at > now()',
      [reset.userId],
    );
    const { rows } = await tx.query<{ expires_at: Date }>(
      `insert into password_resets (user_id, code_hash, created_by, expires_at)
       values ($1, $2, $3, now() + make_interval(hours => $4)) returning expires_at`,
      [reset.userId, reset.codeHash, reset.createdBy, reset.validHours],
    );
    return (rows[0] as { expires_at: Date }).expires_at;
  }

  /** Uses the reset with this code, once and before it expires; the user it was for, or null. */
  async redeem(tx: Queryable, codeHash: string): Promise<string | null> {
    const { rows } = await tx.query<{ user_id: string }>(
      `update password_resets set used_at = now()
       where code_hash = $1 and used_at is null and expires_at > now() returning user_id`,
      [codeHash],
    );
    return rows[0]?.user_id ?? null;
  }

  /** Uses the user's reset with this code (typed as a one-time password at sign-in); whether it was theirs and still good. */
  async redeemForUser(tx: Queryable, userId: string, codeHash: string): Promise<boolean> {
    const { rowCount } = await tx.query(
      `update password_resets set used_at = now()
       where user_id = $1 and code_hash = $2 and used_at is null and expires_at > now()`,
      [userId, codeHash],
    );
    return rowCount > 0;
  }
}
