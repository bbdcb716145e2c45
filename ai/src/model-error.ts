/** Why a model call failed, in the terms an admin can act on. */
export const MODEL_ERROR_CODES = [
  'auth_refused',
  'rate_limited',
  'timeout',
  'model_not_found',
  'blocked_address',
  'unreachable',
  'image_unavailable',
  'bad_answer',
  'provider_error',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

/**
 * A failed model call. `message` is for people (what went wrong and what to do); `detail` is what
 * the provider said, for logs.
 */
export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly options: { detail?: string; status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ModelError';
  }

  get retryAfterMs(): number | undefined {
    return this.options.retryAfterMs;
  }
}

export function authRefused(provider: string, detail?: string): ModelError {
  return new ModelError(
    'auth_refused',
    `${provider} refused the API key. Check that the key is copied whole and still active in the provider’s dashboard, then save it again.`,
    { detail, status: 401 },
  );
}

export function rateLimited(provider: string, retryAfterMs: number | undefined, detail?: string): ModelError {
  const wait =
    retryAfterMs === undefined ? '' : ` It asked to wait ${Math.ceil(retryAfterMs / 1000)} seconds.`;
  return new ModelError(
    'rate_limited',
    `${provider} is limiting how often this key may call it (too many requests, or the account’s quota is used up).${wait} Try again later, or raise the limit in the provider’s dashboard.`,
    { detail, status: 429, retryAfterMs },
  );
}

export function timedOut(provider: string, timeoutMs: number): ModelError {
  return new ModelError(
    'timeout',
    `${provider} did not answer within ${Math.round(timeoutMs / 1000)} seconds. The provider may be busy; try again, or allow a longer wait.`,
  );
}

export function modelNotFound(provider: string, model: string, detail?: string): ModelError {
  return new ModelError(
    'model_not_found',
    `${provider} has no model called “${model}” for this key. Pick one from the provider’s model list.`,
    { detail, status: 404 },
  );
}

export function blockedAddress(address: string): ModelError {
  return new ModelError(
    'blocked_address',
    `The provider’s address points to ${address}, a private or local address, which Parley does not call. Use a public address (or ask whoever runs Parley about PARLEY_ALLOW_PRIVATE_HTTP).`,
  );
}

export function unreachable(provider: string, detail: string): ModelError {
  return new ModelError(
    'unreachable',
    `Parley could not reach ${provider}: ${detail}. Check the base URL and that the server is running.`,
    { detail },
  );
}

export function imageUnavailable(url: string, detail: string): ModelError {
  return new ModelError(
    'image_unavailable',
    `The image at ${url} could not be fetched for the model: ${detail}. Check that the address is public and still works.`,
    { detail },
  );
}

export function badAnswer(provider: string, detail: string): ModelError {
  return new ModelError(
    'bad_answer',
    `${provider} answered, but not in the shape that was asked for (${detail}). Try again, or pick a model that supports structured answers.`,
    { detail },
  );
}

export function providerError(provider: string, status: number | undefined, detail: string): ModelError {
  const code = status === undefined ? '' : ` (HTTP ${status})`;
  return new ModelError(
    'provider_error',
    `${provider} failed to answer${code}: ${detail}. Try again in a moment; if it keeps failing, check the provider’s status page.`,
    { detail, status },
  );
}
