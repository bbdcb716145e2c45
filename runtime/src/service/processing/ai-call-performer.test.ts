import { describe, expect, it } from 'vitest';
import { quotaReached } from './ai-call-performer.js';
import { AI_MAX_ATTEMPTS, aiCutOff } from './effect-runner.js';

describe('what an AI block is told when the runtime does not make its call', () => {
  it('names the quota and the month, and who can raise it', () => {
    expect(quotaReached(200_000, new Date(Date.UTC(2026, 11, 31, 23, 59)))).toBe(
      'This workspace has used its 200,000 AI tokens for December. An admin can raise the monthly limit on the AI providers page.',
    );
  });

  it('says a call cut off by restarts was given up, with no tokens counted', () => {
    expect(aiCutOff()).toEqual({
      ok: false,
      code: 'cut_off',
      error: expect.stringContaining(`cut off ${AI_MAX_ATTEMPTS} times`),
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  });
});
