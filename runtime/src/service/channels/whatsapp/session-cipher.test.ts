import { describe, expect, it } from 'vitest';
import { deriveSessionKey, SessionCipher, SessionDecryptError } from './session-cipher.js';

const OLD = 'old-secret-key-0123456789abcdef';
const NEW = 'new-secret-key-fedcba9876543210';
const plain = Buffer.from('IndexedDB and Local Storage, packed');

describe('SessionCipher', () => {
  it('round-trips with AES-256-GCM and never stores the plaintext', () => {
    const cipher = SessionCipher.fromSecrets(NEW);
    const blob = cipher.encrypt(plain, 'number-1');
    expect(blob.includes(plain)).toBe(false);
    expect(cipher.decrypt(blob, 'number-1')).toEqual({ plain, keyId: cipher.current.id, current: true });
    // A fresh IV each time.
    expect(cipher.encrypt(plain, 'number-1').equals(blob)).toBe(false);
  });

  it('detects tampering anywhere in the blob', () => {
    const cipher = SessionCipher.fromSecrets(NEW);
    const blob = cipher.encrypt(plain, 'number-1');
    for (const index of [blob.length - 1, blob.length - 20, 20, 25]) {
      const tampered = Buffer.from(blob);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(() => cipher.decrypt(tampered, 'number-1')).toThrow(SessionDecryptError);
    }
    expect(() => cipher.decrypt(blob.subarray(0, 20), 'number-1')).toThrow(SessionDecryptError);
    expect(() => cipher.decrypt(Buffer.from('garbage'), 'number-1')).toThrow(/not a Parley session/);
  });

  it('binds a blob to its number', () => {
    const cipher = SessionCipher.fromSecrets(NEW);
    expect(() => cipher.decrypt(cipher.encrypt(plain, 'number-1'), 'number-2')).toThrow(
      /failed authentication/,
    );
  });

  it('rotates keys: the previous key still decrypts and says so; an unknown key is refused', () => {
    const before = SessionCipher.fromSecrets(OLD).encrypt(plain, 'n');
    const rotated = SessionCipher.fromSecrets(NEW, OLD);
    const opened = rotated.decrypt(before, 'n');
    expect(opened.plain).toEqual(plain);
    expect(opened.current).toBe(false);
    expect(opened.keyId).toBe(deriveSessionKey(OLD).id);
    const reencrypted = rotated.encrypt(opened.plain, 'n');
    expect(rotated.keyIdOf(reencrypted)).toBe(deriveSessionKey(NEW).id);
    expect(() => SessionCipher.fromSecrets(NEW).decrypt(before, 'n')).toThrow(/neither PARLEY_SECRET_KEY/);
  });

  it('derives stable keys and ids that reveal nothing of the secret', () => {
    const a = deriveSessionKey(NEW);
    expect(deriveSessionKey(NEW)).toEqual(a);
    expect(a.key.length).toBe(32);
    expect(a.id).toMatch(/^[0-9a-f]{12}$/);
    expect(NEW.includes(a.id)).toBe(false);
    expect(() => deriveSessionKey('short')).toThrow(/at least 16/);
  });
});
