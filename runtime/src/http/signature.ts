import { createHmac } from 'node:crypto';

/** The `x-parley-signature` value for a request: `sha256=` + hex HMAC of `${timestamp}.${body}`. */
export function signPayload(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
