/** Node's system error codes of a failed connection, in words (the code stays, for whoever fixes it). */
const NETWORK_ERRORS: Record<string, (host: string) => string> = {
  ENOTFOUND: (host) => `the name ${host} could not be found (DNS)`,
  EAI_AGAIN: (host) => `the name ${host} could not be looked up (DNS did not answer)`,
  ECONNREFUSED: (host) => `${host} refused the connection`,
  ECONNRESET: (host) => `the connection to ${host} was cut`,
  EHOSTUNREACH: (host) => `there is no network route to ${host}`,
  ENETUNREACH: (host) => `there is no network route to ${host}`,
  ETIMEDOUT: (host) => `${host} did not answer`,
  CERT_HAS_EXPIRED: (host) => `the certificate of ${host} has expired (a proxy in the way?)`,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: (host) =>
    `the certificate of ${host} could not be checked (a proxy in the way?)`,
  SELF_SIGNED_CERT_IN_CHAIN: (host) => `the certificate of ${host} is not trusted (a proxy in the way?)`,
  DEPTH_ZERO_SELF_SIGNED_CERT: (host) => `the certificate of ${host} is not trusted (a proxy in the way?)`,
};

/** What a failed request to `url` means, in words: fetch's error, its cause's code, or a timeout. */
export function wordsOfNetworkError(error: unknown, url: string, timeoutMs: number): string {
  const host = new URL(url).host;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `${host} did not answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown }) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const words = code === undefined ? undefined : NETWORK_ERRORS[code];
  if (words !== undefined && code !== undefined) return `${words(host)} (${code})`;
  const message =
    typeof cause?.message === 'string'
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error);
  return `${host} could not be reached: ${message}${code === undefined ? '' : ` (${code})`}`;
}

/**
 * A quick request to WhatsApp Web before a browser is launched for it: null when anything answers
 * (any HTTP status will do), else why not in words. Chromium would take much longer to fail, and
 * say less. `signal` ends the check early (the number is being stopped).
 */
export async function reachabilityError(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string | null> {
  try {
    const timeout = AbortSignal.timeout(timeoutMs);
    const response = await fetch(url, {
      method: 'HEAD',
      redirect: 'manual',
      signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
    });
    await response.body?.cancel();
    return null;
  } catch (error) {
    return wordsOfNetworkError(error, url, timeoutMs);
  }
}
