import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { AiProviderKind } from '@parley/contract';
import type { LanguageModel } from 'ai';
import type { ProviderConfig } from './model-request.js';

/** How a failure names the provider to a person. */
export const PROVIDER_NAMES: Record<AiProviderKind, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  openai_compatible: 'The OpenAI-compatible server',
};

/** Each provider's own API root, used when no base URL is given. */
export const DEFAULT_BASE_URLS: Record<Exclude<AiProviderKind, 'openai_compatible'>, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
};

export type FetchFunction = typeof globalThis.fetch;

/** The API root a provider config calls. */
export function baseUrlOf(provider: ProviderConfig): string {
  if (provider.kind === 'openai_compatible') {
    if (provider.baseUrl === undefined || provider.baseUrl === '')
      throw new Error('An OpenAI-compatible provider needs a base URL');
    return provider.baseUrl.replace(/\/+$/, '');
  }
  return (provider.baseUrl || DEFAULT_BASE_URLS[provider.kind]).replace(/\/+$/, '');
}

/**
 * The AI SDK model for a config. OpenAI goes through chat completions (`.chat`), not the Responses
 * API the provider defaults to: chat completions is what every OpenAI-compatible server speaks too,
 * so one protocol serves both and one stand-in tests both.
 */
export function languageModel(provider: ProviderConfig, model: string, fetch: FetchFunction): LanguageModel {
  const baseURL = baseUrlOf(provider);
  const apiKey = provider.apiKey ?? '';
  switch (provider.kind) {
    case 'openai':
      return createOpenAI({ apiKey, baseURL, fetch }).chat(model);
    case 'anthropic':
      return createAnthropic({ apiKey, baseURL, fetch })(model);
    case 'google':
      return createGoogleGenerativeAI({ apiKey, baseURL, fetch })(model);
    case 'openai_compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL,
        // Local servers (Ollama, LM Studio) need no key: send none rather than an empty bearer.
        ...(apiKey === '' ? {} : { apiKey }),
        fetch,
        includeUsage: true,
        supportsStructuredOutputs: true,
      })(model);
  }
}
