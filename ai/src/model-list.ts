import type { AiProviderKind } from '@parley/contract';
import { APICallError } from 'ai';
import { toModelError } from './ai-sdk-gateway.js';
import { unreachable } from './model-error.js';
import type { ProviderConfig } from './model-request.js';
import { MODEL_PRICES } from './prices.js';
import { baseUrlOf, type FetchFunction, PROVIDER_NAMES } from './providers.js';

export interface ModelList {
  models: string[];
  /** `provider`: what the provider listed for this key; `known`: Parley's own list of common models. */
  source: 'provider' | 'known';
}

/** The models Parley knows for a kind (those it has prices for); none for a compatible server. */
export function knownModels(kind: AiProviderKind): string[] {
  return kind === 'openai_compatible' ? [] : Object.keys(MODEL_PRICES[kind]);
}

/**
 * The models a key can use, from the provider's own list (OpenAI and compatible servers:
 * `GET /models`; Anthropic: `GET /models`; Google: `GET /models`, those that generate content).
 * A server without a list (404) gets Parley's known list; a refused key or an unreachable server
 * is a ModelError, as for a call.
 */
export async function listModels(
  provider: ProviderConfig,
  options: { fetch?: FetchFunction; timeoutMs?: number } = {},
): Promise<ModelList> {
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const url = `${baseUrlOf(provider)}/models${provider.kind === 'google' ? '?pageSize=1000' : ''}`;
  const request = { provider, model: '', messages: [] };
  let response: Response;
  try {
    response = await fetch(url, { headers: listHeaders(provider), signal });
  } catch (error) {
    // Shaped as the SDK shapes a failed connection, so it is worded the same way.
    throw toModelError(
      new APICallError({ message: 'fetch failed', url, requestBodyValues: {}, cause: error }),
      request,
      timeoutMs,
      signal,
    );
  }
  if (response.status === 404 || response.status === 405) {
    await response.body?.cancel();
    return { models: knownModels(provider.kind), source: 'known' };
  }
  const body = await response.text();
  if (!response.ok) {
    throw toModelError(
      new APICallError({
        message: errorMessage(body) ?? response.statusText,
        url,
        requestBodyValues: {},
        statusCode: response.status,
        responseHeaders: Object.fromEntries(response.headers),
        responseBody: body,
      }),
      request,
      timeoutMs,
      signal,
    );
  }
  const models = parseList(provider.kind, body);
  if (models === undefined)
    throw unreachable(PROVIDER_NAMES[provider.kind], `the address answered, but not with a list of models`);
  return { models: models.sort(), source: 'provider' };
}

function listHeaders(provider: ProviderConfig): Record<string, string> {
  const key = provider.apiKey ?? '';
  switch (provider.kind) {
    case 'anthropic':
      return { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
    case 'google':
      return { 'x-goog-api-key': key };
    default:
      return key === '' ? {} : { authorization: `Bearer ${key}` };
  }
}

function parseList(kind: AiProviderKind, body: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (kind === 'google') {
    const models = (parsed as { models?: unknown }).models;
    if (!Array.isArray(models)) return undefined;
    return models
      .filter(
        (model: { supportedGenerationMethods?: unknown }) =>
          !Array.isArray(model.supportedGenerationMethods) ||
          model.supportedGenerationMethods.includes('generateContent'),
      )
      .map((model: { name?: unknown }) => String(model.name).replace(/^models\//, ''));
  }
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data)) return undefined;
  return data.map((model: { id?: unknown }) => String(model.id));
}

function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
