import { type Dispatcher, request } from 'undici';
import { describeError } from './describe-error.js';
import { dispatcherFor } from './dispatchers.js';
import { lowerCaseHeaders, outgoingHeaders, type Signing } from './request-headers.js';
import { decodeBody, readCapped } from './response-body.js';

export interface HttpRequestSpec {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type HttpResult = { status: number; body: unknown } | { status: 0; error: string };

export interface HttpOptions {
  /** PARLEY_ALLOW_PRIVATE_HTTP=1: allow loopback, private and other non-public addresses. */
  allowPrivate: boolean;
  /** Default 1 MiB. */
  maxResponseBytes?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** When set, requests carry x-parley-timestamp and x-parley-signature headers. */
  signingSecret?: string;
  /** Clock for the signature timestamp; default Date.now. */
  now?: () => number;
}

const MAX_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Sent to the original origin only; a redirect elsewhere must not receive them.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

type Target = { url: URL } | { error: string };

function parseHttpUrl(input: string, base?: URL): Target {
  if (!URL.canParse(input, base?.href)) return { error: `invalid URL: ${input}` };
  const url = new URL(input, base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `unsupported URL scheme ${url.protocol} (only http and https are allowed)` };
  }
  return { url };
}

function clampTimeout(timeoutMs: number): number {
  return Number.isFinite(timeoutMs) && timeoutMs > 0
    ? Math.min(Math.ceil(timeoutMs), MAX_TIMEOUT_MS)
    : MAX_TIMEOUT_MS;
}

// What browsers and curl do: 303 always, and 301/302 after a POST, repeat the request as a GET.
function switchesToGet(status: number, method: string): boolean {
  return (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function toResult(response: Dispatcher.ResponseData, maxBytes: number): Promise<HttpResult> {
  const bytes = await readCapped(response.body, maxBytes);
  if (!bytes) return { status: 0, error: `response too large (over ${maxBytes} bytes)` };
  return {
    status: response.statusCode,
    body: decodeBody(bytes, headerValue(response.headers['content-type']) ?? ''),
  };
}

/** Executes an http_request node. Never throws: every failure becomes `{ status: 0, error }`. */
export async function performHttpRequest(spec: HttpRequestSpec, options: HttpOptions): Promise<HttpResult> {
  const target = parseHttpUrl(spec.url);
  if ('error' in target) return { status: 0, error: target.error };
  let url = target.url;

  const timeoutMs = clampTimeout(spec.timeoutMs);
  // One signal for every hop and the body read, so the timeout bounds the whole exchange.
  const signal = AbortSignal.timeout(timeoutMs);
  const dispatcher = dispatcherFor(options.allowPrivate);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const signing: Signing | undefined = options.signingSecret
    ? { secret: options.signingSecret, now: options.now ?? Date.now }
    : undefined;

  try {
    let method = spec.method.toUpperCase();
    let body = method === 'GET' || method === 'HEAD' ? undefined : spec.body;
    let headers = lowerCaseHeaders(spec.headers);

    for (let redirects = 0; ; redirects++) {
      const response = await request(url, {
        method,
        headers: outgoingHeaders({ method, url, body }, headers, signing),
        body,
        signal,
        dispatcher,
      });
      const location = REDIRECT_STATUSES.has(response.statusCode)
        ? headerValue(response.headers.location)
        : undefined;
      if (location === undefined) return await toResult(response, maxBytes);

      await response.body.dump();
      if (redirects === maxRedirects) return { status: 0, error: 'too many redirects' };
      const next = parseHttpUrl(location, url);
      if ('error' in next) return { status: 0, error: `redirect refused: ${next.error}` };

      if (switchesToGet(response.statusCode, method)) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      if (next.url.origin !== url.origin) {
        headers = Object.fromEntries(
          Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.includes(name)),
        );
      }
      url = next.url;
    }
  } catch (err) {
    if (signal.aborted) return { status: 0, error: `timed out after ${timeoutMs} ms` };
    return { status: 0, error: describeError(err, url.host) };
  }
}
