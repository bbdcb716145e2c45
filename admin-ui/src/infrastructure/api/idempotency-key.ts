/**
 * A fresh Idempotency-Key: 128 random bits in hex. getRandomValues, unlike randomUUID, also works
 * when the UI is served over plain http (outside a secure context).
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
