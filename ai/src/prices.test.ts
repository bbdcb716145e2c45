import { describe, expect, it } from 'vitest';
import { estimateCost, priceOf } from './prices.js';

describe('estimateCost', () => {
  it('prices tokens per million, in and out', () => {
    const cost = estimateCost('openai', 'gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 500_000 });
    expect(cost).toMatchObject({ known: true, pricedAs: 'gpt-4o-mini' });
    expect(cost.known && cost.usd).toBeCloseTo(0.45, 10);
  });

  it('prices a dated model id as its family, the longest name winning', () => {
    expect(priceOf('openai', 'gpt-4o-2024-08-06')?.name).toBe('gpt-4o');
    expect(priceOf('openai', 'gpt-4o-mini-2024-07-18')?.name).toBe('gpt-4o-mini');
    expect(priceOf('anthropic', 'claude-sonnet-4-5-20250929')?.name).toBe('claude-sonnet-4-5');
    expect(priceOf('google', 'gemini-2.5-flash-lite')?.name).toBe('gemini-2.5-flash-lite');
  });

  it('says the cost is unknown, and why, for a model it has no price for', () => {
    const unknown = estimateCost('openai', 'gpt-4ofake', { inputTokens: 10, outputTokens: 10 });
    expect(unknown).toMatchObject({ known: false });
    expect(unknown.known === false && unknown.reason).toContain('no price for the model “gpt-4ofake”');
    expect(estimateCost('openai_compatible', 'llama3.2', { inputTokens: 1, outputTokens: 1 })).toMatchObject({
      known: false,
    });
  });
});
