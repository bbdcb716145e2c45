import { describe, expect, it } from 'vitest';
import { allowPrivateHttpFromEnv } from './private-http-env.js';

describe('allowPrivateHttpFromEnv', () => {
  it('is true only for exactly "1"', () => {
    expect(allowPrivateHttpFromEnv({ PARLEY_ALLOW_PRIVATE_HTTP: '1' })).toBe(true);
    for (const value of [undefined, '', '0', 'true', 'yes', ' 1']) {
      expect(allowPrivateHttpFromEnv({ PARLEY_ALLOW_PRIVATE_HTTP: value })).toBe(false);
    }
  });
});
