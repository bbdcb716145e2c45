import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A derived AES-256 key and its public fingerprint (stored beside each blob, never the key). */
export interface SessionKey {
  id: string;
  key: Buffer;
}

const MAGIC = Buffer.from('PWS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = 'parley/whatsapp-session/v1';

/**
 * The session key of a secret (PARLEY_SECRET_KEY): HKDF-SHA256 with a fixed salt and a purpose, so
 * the same secret can also sign tokens without the two uses ever sharing a key.
 */
export function deriveSessionKey(secret: string): SessionKey {
  if (secret.length < 16) throw new Error('PARLEY_SECRET_KEY must be at least 16 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, SALT, 'aes-256-gcm session key', 32));
  const id = Buffer.from(hkdfSync('sha256', secret, SALT, 'session key id', 6)).toString('hex');
  return { id, key };
}

export class SessionDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionDecryptError';
  }
}

/**
 * AES-256-GCM for session blobs. A blob is `PWS1 | key id length | key id | iv | tag | ciphertext`;
 * the header and the number id are authenticated (a blob copied onto another number, or edited,
 * fails). Decrypts with the current key or any previous one (key rotation: PARLEY_SECRET_KEY_PREVIOUS),
 * and tells which, so the caller re-encrypts with the current key.
 */
export class SessionCipher {
  private readonly keys: Map<string, SessionKey>;

  constructor(
    readonly current: SessionKey,
    previous: SessionKey[] = [],
  ) {
    this.keys = new Map([...previous, current].map((key) => [key.id, key]));
  }

  static fromSecrets(secret: string, previousSecret?: string): SessionCipher {
    return new SessionCipher(
      deriveSessionKey(secret),
      previousSecret === undefined ? [] : [deriveSessionKey(previousSecret)],
    );
  }

  encrypt(plain: Buffer, numberId: string): Buffer {
    const keyId = Buffer.from(this.current.id, 'ascii');
    const header = Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(numberId, 'utf8')]));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  }

  /** The key id a blob was encrypted with (without decrypting it). */
  keyIdOf(blob: Buffer): string {
    if (blob.length < MAGIC.length + 1 || !blob.subarray(0, MAGIC.length).equals(MAGIC))
      throw new SessionDecryptError('not a Parley session blob');
    const length = blob[MAGIC.length] ?? 0;
    return blob.subarray(MAGIC.length + 1, MAGIC.length + 1 + length).toString('ascii');
  }

  decrypt(blob: Buffer, numberId: string): { plain: Buffer; keyId: string; current: boolean } {
    const keyId = this.keyIdOf(blob);
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new SessionDecryptError(
        `encrypted with key ${keyId}, which is neither PARLEY_SECRET_KEY nor PARLEY_SECRET_KEY_PREVIOUS`,
      );
    }
    const headerEnd = MAGIC.length + 1 + Buffer.byteLength(keyId, 'ascii');
    const iv = blob.subarray(headerEnd, headerEnd + IV_BYTES);
    const tag = blob.subarray(headerEnd + IV_BYTES, headerEnd + IV_BYTES + TAG_BYTES);
    if (tag.length !== TAG_BYTES) throw new SessionDecryptError('truncated session blob');
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, headerEnd), Buffer.from(numberId, 'utf8')]));
    decipher.setAuthTag(tag);
    try {
      const plain = Buffer.concat([
        decipher.update(blob.subarray(headerEnd + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return { plain, keyId, current: keyId === this.current.id };
    } catch {
      throw new SessionDecryptError('the session blob failed authentication (tampered, or another number’s)');
    }
  }
}
