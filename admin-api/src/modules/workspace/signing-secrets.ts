import { isSealedText, type Queryable, type SecretCipher, SecretDecryptError } from '@parley/db';
import type { Logger } from 'pino';
import type { WorkspaceRepository } from './workspace.repository.js';

/**
 * Workspace signing secrets are stored encrypted (AES-256-GCM, bound to the workspace); the
 * runtime opens them to sign http_request calls. Rows saved before encryption existed, or under
 * the previous key after a rotation, are encrypted again when an API process starts — a migration
 * cannot, it has no key — and the runtime reads them as they are until then.
 */
export class SigningSecrets {
  constructor(
    private readonly cipher: SecretCipher,
    private readonly repository: WorkspaceRepository,
    private readonly logger: Logger,
  ) {}

  seal(workspaceId: string, secret: string): string {
    return this.cipher.sealText(secret, workspaceId);
  }

  /** A stored secret in clear (rows from before encryption are still plain), or null when none is set. */
  open(workspaceId: string, stored: string | null): string | null {
    if (stored === null || !isSealedText(stored)) return stored;
    return this.cipher.openText(stored, workspaceId);
  }

  /** Encrypts with the current key every secret in clear or under the previous key; returns how many. */
  async encryptStale(db: Queryable): Promise<number> {
    let rewritten = 0;
    for (const { workspaceId, stored } of await this.repository.signingSecrets(db)) {
      if (!this.cipher.isStale(stored)) continue;
      let plain: string;
      try {
        plain = isSealedText(stored) ? this.cipher.openText(stored, workspaceId) : stored;
      } catch (error) {
        if (!(error instanceof SecretDecryptError)) throw error;
        this.logger.warn(
          { workspaceId, reason: error.message },
          'a signing secret cannot be decrypted; an admin has to set it again',
        );
        continue;
      }
      await this.repository.replaceSigningSecret(db, workspaceId, stored, this.seal(workspaceId, plain));
      rewritten += 1;
    }
    return rewritten;
  }
}
