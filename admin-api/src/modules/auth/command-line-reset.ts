import type { Db } from '@parley/db';
import { AuditRepository } from '../audit/audit.repository.js';
import { AuthRepository } from './auth.repository.js';
import { hashResetCode, newResetCode, PASSWORD_RESET_VALID_HOURS } from './password-reset-code.js';
import { PasswordResetsRepository } from './password-resets.repository.js';

/** A refusal the command prints as it is. */
export class ResetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResetRefused';
  }
}

export interface CommandLineReset {
  email: string;
  /** The one-time password: shown once, kept only as a hash. */
  code: string;
  expiresAt: Date;
}

/** How many accounts a mistyped email is answered with. */
const ACCOUNTS_SHOWN = 10;

/**
 * `parley admin reset-password EMAIL`: recovery for whoever runs the server, when no admin can sign
 * in. Makes the same one-time reset an admin hands out (it replaces any earlier one), usable as a
 * password once or through the reset link, and records it in the audit log of each of the
 * person's workspaces. The old password keeps working until a new one is chosen.
 */
export async function resetPasswordFromCommandLine(db: Db, email: string): Promise<CommandLineReset> {
  const accounts = new AuthRepository();
  const resets = new PasswordResetsRepository();
  const audit = new AuditRepository();
  const code = newResetCode();
  return db.transaction(async (tx) => {
    const user = await accounts.userByEmail(tx, email.trim());
    if (user === null) {
      const known = await accounts.someEmails(tx, ACCOUNTS_SHOWN);
      throw new ResetRefused(
        known.length === 0
          ? 'There are no accounts yet: start Parley (npm start) and it creates the first admin.'
          : `No account has the email ${email}. Accounts here: ${known.join(', ')}${known.length === ACCOUNTS_SHOWN ? ', …' : ''}`,
      );
    }
    if (user.passwordHash === null) {
      throw new ResetRefused(
        `${user.email} signs in through Supabase Auth, which keeps their password: reset it there.`,
      );
    }
    const expiresAt = await resets.create(tx, {
      userId: user.id,
      codeHash: hashResetCode(code),
      createdBy: null,
      validHours: PASSWORD_RESET_VALID_HOURS,
    });
    const workspaces = await accounts.memberships(tx, user.id);
    const entry = {
      userId: null,
      action: 'member.password_reset',
      entity: 'user',
      entityId: user.id,
      after: { email: user.email, by: 'command line', expiresAt: expiresAt.toISOString() },
    };
    if (workspaces.length === 0) await audit.record(tx, { ...entry, workspaceId: null });
    for (const workspace of workspaces)
      await audit.record(tx, { ...entry, workspaceId: workspace.workspaceId });
    return { email: user.email, code, expiresAt };
  });
}
