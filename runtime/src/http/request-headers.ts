import { signRequest } from '@parley/db';

const USER_AGENT = 'Parley/0.1 (+http_request)';

export interface Signing {
  secret: string;
  now: () => number;
}

/** Header names are case-insensitive; lower-casing them once makes every later lookup exact. */
export function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The headers for one hop, given the method, URL and body actually sent on that hop. */
export function outgoingHeaders(
  hop: { method: string; url: URL; body: string | undefined },
  headers: Record<string, string>,
  signing: Signing | undefined,
): Record<string, string> {
  const { body } = hop;
  const result: Record<string, string> = { 'user-agent': USER_AGENT, ...headers };
  if (body !== undefined && result['content-type'] === undefined) {
    result['content-type'] = isJson(body) ? 'application/json' : 'text/plain; charset=utf-8';
  }
  if (signing) {
    const timestamp = Math.floor(signing.now() / 1000);
    result['x-parley-timestamp'] = String(timestamp);
    result['x-parley-signature'] = signRequest(signing.secret, {
      timestamp,
      method: hop.method,
      url: hop.url.href,
      body: body ?? '',
    });
  }
  return result;
}
