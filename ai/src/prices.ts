import type { AiProviderKind } from '@parley/contract';
import type { TokenUsage } from './model-request.js';

/** US dollars per million tokens, in and out. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices of the common models, per million tokens (standard tier, short prompts), as the
 * providers published them in the month PRICES_AS_OF says; prices change, so docs/ai.md tells
 * people to check the provider's page. Estimates only: the provider's invoice is the truth
 * (cached input, batch and long-context tiers cost differently). A dated model id
 * (`gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`) is priced as its family: the longest
 * matching name wins.
 */
export const PRICES_AS_OF = '2025-10';
export const MODEL_PRICES: Record<
  Exclude<AiProviderKind, 'openai_compatible'>,
  Record<string, ModelPrice>
> = {
  openai: {
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    'gpt-5-nano': { input: 0.05, output: 0.4 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    'o4-mini': { input: 1.1, output: 4.4 },
  },
  anthropic: {
    'claude-opus-4-1': { input: 15, output: 75 },
    'claude-sonnet-4-5': { input: 3, output: 15 },
    'claude-sonnet-4': { input: 3, output: 15 },
    'claude-haiku-4-5': { input: 1, output: 5 },
    'claude-3-5-haiku': { input: 0.8, output: 4 },
  },
  google: {
    'gemini-2.5-pro': { input: 1.25, output: 10 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  },
};

export type CostEstimate = { known: true; usd: number; pricedAs: string } | { known: false; reason: string };

/** The price a model is billed at, by its family name; undefined when Parley does not know it. */
export function priceOf(
  kind: AiProviderKind,
  model: string,
): { name: string; price: ModelPrice } | undefined {
  if (kind === 'openai_compatible') return undefined;
  const table = MODEL_PRICES[kind];
  const name = Object.keys(table)
    .filter((family) => model === family || model.startsWith(`${family}-`))
    .sort((a, b) => b.length - a.length)[0];
  return name === undefined ? undefined : { name, price: table[name] as ModelPrice };
}

/** What a call cost, or why Parley cannot tell. */
export function estimateCost(kind: AiProviderKind, model: string, usage: TokenUsage): CostEstimate {
  if (kind === 'openai_compatible')
    return {
      known: false,
      reason: 'Parley does not know what a self-hosted or OpenAI-compatible server charges.',
    };
  const priced = priceOf(kind, model);
  if (priced === undefined)
    return {
      known: false,
      reason: `Parley has no price for the model “${model}”: the cost is not estimated, the tokens are still counted.`,
    };
  const usd = (usage.inputTokens * priced.price.input + usage.outputTokens * priced.price.output) / 1_000_000;
  return { known: true, usd, pricedAs: priced.name };
}
