import { describe, expect, it } from 'vitest';
import {
  cipherPurposes,
  deriveSecretKey,
  isSealedText,
  SecretCipher,
  SecretDecryptError,
} from './secret-cipher.js';

const SESSION = cipherPurposes.whatsappSession;

const OLD = 'old-secret-key-0123456789abcdef';
const NEW = 'new-secret-key-fedcba9876543210';
const plain = Buffer.from('IndexedDB and Local Storage, packed');

describe('SecretCipher', () => {
  it('round-trips with AES-256-GCM and never stores the plaintext', () => {
    const cipher = SecretCipher.fromSecrets(SESSION, NEW);
    const blob = cipher.encrypt(plain, 'number-1');
    expect(blob.includes(plain)).toBe(false);
    expect(cipher.decrypt(blob, 'number-1')).toEqual({ plain, keyId: cipher.current.id, current: true });
    // A fresh IV each time.
    expect(cipher.encrypt(plain, 'number-1').equals(blob)).toBe(false);
  });

  it('detects tampering anywhere in the blob', () => {
    const cipher = SecretCipher.fromSecrets(SESSION, NEW);
    const blob = cipher.encrypt(plain, 'number-1');
    for (const index of [blob.length - 1, blob.length - 20, 20, 25]) {
      const tampered = Buffer.from(blob);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(() => cipher.decrypt(tampered, 'number-1')).toThrow(SecretDecryptError);
    }
    expect(() => cipher.decrypt(blob.subarray(0, 20), 'number-1')).toThrow(SecretDecryptError);
    expect(() => cipher.decrypt(Buffer.from('garbage'), 'number-1')).toThrow(/not a Parley PWS1 blob/);
  });

  it('binds a blob to its number', () => {
    const cipher = SecretCipher.fromSecrets(SESSION, NEW);
    expect(() => cipher.decrypt(cipher.encrypt(plain, 'number-1'), 'number-2')).toThrow(
      /failed authentication/,
    );
  });

  it('rotates keys: the previous key still decrypts and says so; an unknown key is refused', () => {
    const before = SecretCipher.fromSecrets(SESSION, OLD).encrypt(plain, 'n');
    const rotated = SecretCipher.fromSecrets(SESSION, NEW, OLD);
    const opened = rotated.decrypt(before, 'n');
    expect(opened.plain).toEqual(plain);
    expect(opened.current).toBe(false);
    expect(opened.keyId).toBe(deriveSecretKey(OLD, SESSION).id);
    const reencrypted = rotated.encrypt(opened.plain, 'n');
    expect(rotated.keyIdOf(reencrypted)).toBe(deriveSecretKey(NEW, SESSION).id);
    expect(() => SecretCipher.fromSecrets(SESSION, NEW).decrypt(before, 'n')).toThrow(
      /neither PARLEY_SECRET_KEY/,
    );
  });

  it('derives stable keys and ids that reveal nothing of the secret', () => {
    const a = deriveSecretKey(NEW, SESSION);
    expect(deriveSecretKey(NEW, SESSION)).toEqual(a);
    expect(a.key.length).toBe(32);
    expect(a.id).toMatch(/^[0-9a-f]{12}$/);
    expect(NEW.includes(a.id)).toBe(false);
    expect(() => deriveSecretKey('short', SESSION)).toThrow(/at least 16/);
  });

  it('keeps purposes apart: a header value blob is not a session blob, and keys differ', () => {
    const header = SecretCipher.fromSecrets(cipherPurposes.headerValue, NEW);
    const blob = header.encrypt(plain, 'workspace-1');
    expect(() => SecretCipher.fromSecrets(SESSION, NEW).decrypt(blob, 'workspace-1')).toThrow(
      /not a Parley PWS1 blob/,
    );
    expect(deriveSecretKey(NEW, cipherPurposes.headerValue).key).not.toEqual(
      deriveSecretKey(NEW, SESSION).key,
    );
  });

  it('seals text for text columns, bound to its context', () => {
    const cipher = SecretCipher.fromSecrets(cipherPurposes.signingSecret, NEW);
    const sealed = cipher.sealText('Bearer sk_live_123', 'workspace-1');
    expect(isSealedText(sealed)).toBe(true);
    expect(isSealedText('Bearer sk_live_123')).toBe(false);
    expect(sealed.includes('sk_live')).toBe(false);
    expect(cipher.openText(sealed, 'workspace-1')).toBe('Bearer sk_live_123');
    expect(() => cipher.openText(sealed, 'workspace-2')).toThrow(/failed authentication/);
  });

  it('tells which texts to seal again: in clear, or under the previous key', () => {
    const purpose = cipherPurposes.signingSecret;
    const old = SecretCipher.fromSecrets(purpose, OLD).sealText('s', 'w');
    const rotated = SecretCipher.fromSecrets(purpose, NEW, OLD);
    expect(rotated.isStale('plain text')).toBe(true);
    expect(rotated.isStale(old)).toBe(true);
    expect(rotated.isStale(rotated.sealText('s', 'w'))).toBe(false);
  });
});
