import { request } from 'undici';
import { dispatcherFor } from './dispatchers.js';

/**
 * One POST under the outgoing-address policy (public addresses only unless `allowPrivate`), no
 * redirects followed; answers the status and drops the body. Throws when nothing answers in time.
 */
export async function postOnce(
  url: URL,
  options: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean },
): Promise<number> {
  const response = await request(url, {
    method: 'POST',
    headers: options.headers,
    body: options.body,
    signal: AbortSignal.timeout(options.timeoutMs),
    dispatcher: dispatcherFor(options.allowPrivate),
  });
  await response.body.dump();
  return response.statusCode;
}
