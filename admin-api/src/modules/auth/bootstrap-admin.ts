import { randomBytes } from 'node:crypto';
import type { Db } from '@parley/db';
import type { FlowsRepository } from '../flows/flows.repository.js';
import type { WorkspaceRepository } from '../workspace/workspace.repository.js';
import { startWorkspace } from '../workspace/workspace.service.js';
import type { AuthRepository } from './auth.repository.js';
import { hashPassword } from './password.js';

export interface BootstrapResult {
  email: string;
  /** Set only when the password was generated: shown once, never stored in clear. */
  generatedPassword: string | null;
  created: boolean;
  /** A password was given (PARLEY_ADMIN_PASSWORD) but not used: an admin existed already. */
  passwordIgnored: boolean;
}

/**
 * On a database without users: the first admin (PARLEY_ADMIN_EMAIL / PARLEY_ADMIN_PASSWORD, or a
 * generated password printed once) and their workspace, which starts with a sample draft flow. The
 * sample is created with the workspace, in the same transaction, and never again: once the admin
 * deletes it, it stays deleted.
 */
export async function bootstrapAdmin(
  db: Db,
  repository: AuthRepository,
  workspaces: WorkspaceRepository,
  flows: FlowsRepository,
  email: string,
  password: string | undefined,
): Promise<BootstrapResult> {
  return db.transaction(async (tx) => {
    await repository.lockBootstrap(tx);
    if ((await repository.userCount(tx)) > 0) {
      return { email, generatedPassword: null, created: false, passwordIgnored: (password ?? '') !== '' };
    }
    const generated =
      password === undefined || password === '' ? randomBytes(12).toString('base64url') : null;
    const userId = await repository.createUser(
      tx,
      email,
      await hashPassword(generated ?? (password as string)),
    );
    await startWorkspace(tx, workspaces, flows, 'My workspace', userId, null);
    return { email, generatedPassword: generated, created: true, passwordIgnored: false };
  });
}
