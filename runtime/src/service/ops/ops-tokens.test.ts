import { describe, expect, it } from 'vitest';
import { isLoopbackHost, tokenFromEnv } from './ops-tokens.js';

describe('runtime endpoint tokens and hosts', () => {
  it('reads a token, or none when unset or empty', () => {
    const token = 'x'.repeat(32);
    expect(tokenFromEnv({ PARLEY_INTERNAL_TOKEN: token }, 'PARLEY_INTERNAL_TOKEN')).toBe(token);
    expect(tokenFromEnv({ PARLEY_INTERNAL_TOKEN: '' }, 'PARLEY_INTERNAL_TOKEN')).toBeUndefined();
    expect(tokenFromEnv({}, 'PARLEY_METRICS_TOKEN')).toBeUndefined();
  });

  it('refuses a guessable short token with what to do', () => {
    expect(() => tokenFromEnv({ PARLEY_METRICS_TOKEN: 'secret' }, 'PARLEY_METRICS_TOKEN')).toThrow(
      'PARLEY_METRICS_TOKEN must be at least 32 characters long (for example: openssl rand -hex 32)',
    );
  });

  it('tells loopback hosts from reachable ones', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'runtime.internal', ''])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
