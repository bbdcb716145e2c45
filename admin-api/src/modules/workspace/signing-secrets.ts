import type { Queryable, SecretCipher } from '@parley/db';
import type { WorkspaceRepository } from './workspace.repository.js';

/**
 * Workspace signing secrets are stored encrypted (AES-256-GCM, bound to the workspace); the
 * runtime opens them to sign http_request calls. Rows saved before encryption existed are
 * encrypted when an API process starts — a migration cannot, it has no key — and the runtime
 * reads them as plaintext until then.
 */
export class SigningSecrets {
  constructor(
    private readonly cipher: SecretCipher,
    private readonly repository: WorkspaceRepository,
  ) {}

  seal(workspaceId: string, secret: string): string {
    return this.cipher.sealText(secret, workspaceId);
  }

  /** Encrypts every plaintext signing secret left from before; returns how many. */
  async encryptPlaintextRows(db: Queryable): Promise<number> {
    const rows = await this.repository.plaintextSigningSecrets(db);
    for (const { workspaceId, secret } of rows) {
      await this.repository.replaceSigningSecret(db, workspaceId, secret, this.seal(workspaceId, secret));
    }
    return rows.length;
  }
}
