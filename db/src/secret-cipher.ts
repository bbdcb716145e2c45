import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** A derived AES-256 key and its public fingerprint (stored beside each blob, never the key). */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/**
 * What a cipher protects: its own key (the HKDF salt) and its own blob marker, so a WhatsApp
 * session, a header value and a signing secret never share a key and a blob of one kind is never
 * taken for another.
 */
export interface CipherPurpose {
  magic: string;
  salt: string;
}

export const cipherPurposes = {
  /** WhatsApp session archives (bound to their number id). */
  whatsappSession: { magic: 'PWS1', salt: 'parley/whatsapp-session/v1' },
  /** http_request header values inside flow definitions (bound to their workspace id). */
  headerValue: { magic: 'PHV1', salt: 'parley/header-value/v1' },
  /** Workspace signing secrets for http_request calls (bound to their workspace id). */
  signingSecret: { magic: 'PSS1', salt: 'parley/signing-secret/v1' },
  /** AI provider API keys (bound to their workspace and credential id). */
  aiKey: { magic: 'PAK1', salt: 'parley/ai-key/v1' },
} as const satisfies Record<string, CipherPurpose>;

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Marks a text sealed by `sealText`, so plaintext written before encryption is still recognised. */
const SEALED_PREFIX = 'sealed:';

/**
 * The key of a secret (PARLEY_SECRET_KEY) for one purpose: HKDF-SHA256 with the purpose's salt, so
 * the same secret can also sign tokens without two uses ever sharing a key.
 */
export function deriveSecretKey(secret: string, purpose: CipherPurpose): SecretKey {
  if (secret.length < 16) throw new Error('PARLEY_SECRET_KEY must be at least 16 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, purpose.salt, 'aes-256-gcm session key', 32));
  const id = Buffer.from(hkdfSync('sha256', secret, purpose.salt, 'session key id', 6)).toString('hex');
  return { id, key };
}

export class SecretDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

/**
 * AES-256-GCM for secrets at rest. A blob is `magic | key id length | key id | iv | tag | ciphertext`;
 * the header and a context (the number or workspace id it belongs to) are authenticated, so a blob
 * copied elsewhere, or edited, fails. Decrypts with the current key or any previous one (key
 * rotation: PARLEY_SECRET_KEY_PREVIOUS), and tells which, so the caller can re-encrypt.
 */
export class SecretCipher {
  private readonly keys: Map<string, SecretKey>;
  private readonly magic: Buffer;

  constructor(
    readonly current: SecretKey,
    previous: SecretKey[],
    purpose: CipherPurpose,
  ) {
    this.keys = new Map([...previous, current].map((key) => [key.id, key]));
    this.magic = Buffer.from(purpose.magic, 'ascii');
  }

  static fromSecrets(purpose: CipherPurpose, secret: string, previousSecret?: string): SecretCipher {
    return new SecretCipher(
      deriveSecretKey(secret, purpose),
      previousSecret === undefined ? [] : [deriveSecretKey(previousSecret, purpose)],
      purpose,
    );
  }

  encrypt(plain: Buffer, context: string): Buffer {
    const keyId = Buffer.from(this.current.id, 'ascii');
    const header = Buffer.concat([this.magic, Buffer.from([keyId.length]), keyId]);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(context, 'utf8')]));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  }

  /** The key id a blob was encrypted with (without decrypting it). */
  keyIdOf(blob: Buffer): string {
    const magic = this.magic;
    if (blob.length < magic.length + 1 || !blob.subarray(0, magic.length).equals(magic))
      throw new SecretDecryptError(`not a Parley ${magic.toString('ascii')} blob`);
    const length = blob[magic.length] ?? 0;
    return blob.subarray(magic.length + 1, magic.length + 1 + length).toString('ascii');
  }

  decrypt(blob: Buffer, context: string): { plain: Buffer; keyId: string; current: boolean } {
    const keyId = this.keyIdOf(blob);
    const key = this.keys.get(keyId);
    if (key === undefined) {
      throw new SecretDecryptError(
        `encrypted with key ${keyId}, which is neither PARLEY_SECRET_KEY nor PARLEY_SECRET_KEY_PREVIOUS`,
      );
    }
    const headerEnd = this.magic.length + 1 + Buffer.byteLength(keyId, 'ascii');
    const iv = blob.subarray(headerEnd, headerEnd + IV_BYTES);
    const tag = blob.subarray(headerEnd + IV_BYTES, headerEnd + IV_BYTES + TAG_BYTES);
    if (tag.length !== TAG_BYTES) throw new SecretDecryptError('truncated encrypted blob');
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(Buffer.concat([blob.subarray(0, headerEnd), Buffer.from(context, 'utf8')]));
    decipher.setAuthTag(tag);
    try {
      const plain = Buffer.concat([
        decipher.update(blob.subarray(headerEnd + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
      return { plain, keyId, current: keyId === this.current.id };
    } catch {
      throw new SecretDecryptError('the encrypted blob failed authentication (tampered, or someone else’s)');
    }
  }

  /** A text secret as text (`sealed:<base64 blob>`), for text and JSON columns. */
  sealText(plain: string, context: string): string {
    return `${SEALED_PREFIX}${this.encrypt(Buffer.from(plain, 'utf8'), context).toString('base64')}`;
  }

  openText(sealed: string, context: string): string {
    return this.decrypt(blobOf(sealed), context).plain.toString('utf8');
  }

  /** Whether a sealed text is in clear or under a previous key: to be sealed again with the current one. */
  isStale(text: string): boolean {
    return !isSealedText(text) || this.keyIdOf(blobOf(text)) !== this.current.id;
  }
}

export function isSealedText(text: string): boolean {
  return text.startsWith(SEALED_PREFIX);
}

function blobOf(sealed: string): Buffer {
  if (!isSealedText(sealed)) throw new SecretDecryptError('not a sealed text');
  return Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
}
