import { createHmac } from 'node:crypto';

/**
 * The signature scheme's version, written before the MAC (`v1=<hex>`) and as the first line of what
 * it covers, so a receiver can tell schemes apart and a later one can be added beside it.
 */
export const SIGNATURE_VERSION = 'v1';

export interface SignedRequest {
  /** Unix time in seconds, as sent in `x-parley-timestamp`. */
  timestamp: number | string;
  method: string;
  /** The full URL of this hop, exactly as requested. */
  url: string;
  /** The exact body sent ('' without one). */
  body: string;
}

/**
 * The `x-parley-signature` value: `v1=` + hex HMAC-SHA256 of
 * `v1\n<timestamp>\n<METHOD>\n<URL>\n<body>`. Binding the method and URL stops a captured signed
 * body from being replayed to another endpoint; the timestamp lets receivers refuse stale ones.
 */
export function signRequest(secret: string, request: SignedRequest): string {
  const content = [
    SIGNATURE_VERSION,
    String(request.timestamp),
    request.method.toUpperCase(),
    request.url,
    request.body,
  ].join('\n');
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(content).digest('hex')}`;
}
