import { BlockedAddressError } from '@parley/db';

const MESSAGES: Record<string, (host: string) => string> = {
  ENOTFOUND: (host) => `could not resolve host ${host}`,
  EAI_AGAIN: (host) => `could not resolve host ${host}`,
  ECONNREFUSED: (host) => `connection refused by ${host}`,
  ECONNRESET: (host) => `connection to ${host} was reset`,
  UND_ERR_SOCKET: (host) => `connection to ${host} closed unexpectedly`,
  EHOSTUNREACH: (host) => `${host} is unreachable`,
  ENETUNREACH: (host) => `${host} is unreachable`,
  UND_ERR_CONNECT_TIMEOUT: (host) => `connecting to ${host} timed out`,
};

// undici and Node wrap the useful error in `cause` or, when several addresses were tried, in
// an AggregateError's `errors`. The depth bound guards against cyclic causes.
function* errorChain(err: unknown): Generator<Error> {
  let current = err;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    yield current;
    current = current instanceof AggregateError ? current.errors[0] : current.cause;
  }
}

/** A short, human message for a failed exchange with `host`. */
export function describeError(err: unknown, host: string): string {
  for (const error of errorChain(err)) {
    if (error instanceof BlockedAddressError) return error.message;
    const { code, reason } = error as NodeJS.ErrnoException & { reason?: string };
    const message = code === undefined ? undefined : MESSAGES[code];
    if (message) return message(host);
    // OpenSSL messages are multi-line dumps; their `reason` is the readable part.
    if (code?.startsWith('ERR_SSL_') && reason) return `TLS handshake with ${host} failed: ${reason}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `request to ${host} failed: ${message}`;
}
