import { type SecretCipher, SecretDecryptError } from '@parley/db';
import {
  type HeaderAt,
  isSavedSecret,
  isStoredSecret,
  mapHeaderValues,
  SAVED_SECRET,
  type StoredSecret,
} from '@parley/schemas';
import type { Logger } from 'pino';

/** `https://crm.example.com` of `https://crm.example.com/leads?x={{y}}`: where a secret is sent. */
function siteOf(url: unknown): string | null {
  return typeof url === 'string' ? (/^https?:\/\/[^/?#]*/i.exec(url)?.[0].toLowerCase() ?? null) : null;
}

/** Encrypts http_request header values on their way into the database, and opens them for the server's own use. */
export class HeaderSecrets {
  constructor(
    private readonly cipher: SecretCipher,
    private readonly logger: Logger,
  ) {}

  /**
   * The definition to store. A typed value is encrypted. The saved-secret marker keeps the value
   * stored for the same node and header — as long as the node still calls the same site, so an
   * edited address cannot carry a saved key to another server (the marker then stays, and
   * validation asks for the value again).
   */
  seal(workspaceId: string, incoming: unknown, stored: unknown): unknown {
    const kept = new Map<string, { value: StoredSecret; site: string | null }>();
    mapHeaderValues(stored, (value, at) => {
      // A draft saved before header values were encrypted holds them in clear: encrypted now.
      const secret = typeof value === 'string' ? { secret: this.cipher.sealText(value, workspaceId) } : value;
      if (isStoredSecret(secret))
        kept.set(`${at.nodeId}\n${at.header}`, { value: secret, site: siteOf(at.config.url) });
      return value;
    });
    return mapHeaderValues(incoming, (value, at) => {
      if (typeof value === 'string') return { secret: this.cipher.sealText(value, workspaceId) };
      if (!isSavedSecret(value)) return value;
      const saved = kept.get(`${at.nodeId}\n${at.header}`);
      return saved !== undefined && saved.site === siteOf(at.config.url) ? saved.value : value;
    });
  }

  /**
   * The definition with its header values saved in clear (before they were encrypted) or under
   * PARLEY_SECRET_KEY_PREVIOUS encrypted with the current key, or null when none is.
   */
  sealStale(workspaceId: string, stored: unknown): unknown | null {
    let stale = false;
    const sealed = mapHeaderValues(stored, (value, at) => {
      if (typeof value === 'string') {
        stale = true;
        return { secret: this.cipher.sealText(value, workspaceId) };
      }
      if (!isStoredSecret(value) || !this.cipher.isStale(value.secret)) return value;
      const plain = this.openOrWarn(workspaceId, value, at);
      if (plain === null) return value;
      stale = true;
      return { secret: this.cipher.sealText(plain, workspaceId) };
    });
    return stale ? sealed : null;
  }

  /**
   * A stored definition with its header values in clear, for validation; never sent to a client. A
   * value no key opens any more (PARLEY_SECRET_KEY replaced without PARLEY_SECRET_KEY_PREVIOUS)
   * becomes the marker, so validation asks an editor to type it again.
   */
  open(workspaceId: string, stored: unknown): unknown {
    return mapHeaderValues(stored, (value, at) =>
      isStoredSecret(value) ? (this.openOrWarn(workspaceId, value, at) ?? SAVED_SECRET) : value,
    );
  }

  private openOrWarn(workspaceId: string, value: StoredSecret, at: HeaderAt): string | null {
    try {
      return this.cipher.openText(value.secret, workspaceId);
    } catch (error) {
      if (!(error instanceof SecretDecryptError)) throw error;
      this.logger.warn(
        { workspaceId, nodeId: at.nodeId, header: at.header, reason: error.message },
        'a saved header value cannot be decrypted; it has to be typed again',
      );
      return null;
    }
  }
}
