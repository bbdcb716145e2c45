import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Short-lived links to one file, for exports read outside the app: the key and an expiry, signed
 * with HMAC-SHA256 under a key derived from the token secret (so rotating it voids every link).
 */
export class MediaLinks {
  private readonly secret: Buffer;

  constructor(tokenSecret: string) {
    this.secret = createHmac('sha256', tokenSecret).update('parley media links v1').digest();
  }

  private signature(key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${key}\n${expires}`).digest('base64url');
  }

  /** The query of a link to `key` that works until `expiresAtMs`. */
  sign(key: string, expiresAtMs: number): { expires: number; signature: string } {
    const expires = Math.floor(expiresAtMs / 1000);
    return { expires, signature: this.signature(key, expires) };
  }

  /** Whether the signature is ours for this key and expiry (the expiry is checked by the caller). */
  verify(key: string, expires: number, signature: string): boolean {
    const expected = Buffer.from(this.signature(key, expires));
    const received = Buffer.from(signature);
    return expected.length === received.length && timingSafeEqual(expected, received);
  }
}
