import { describe, expect, it } from 'vitest';
import { DEFAULT_CHROMIUM_ARGS, profileDirOf, whatsappConfigFromEnv } from './whatsapp-config.js';

describe('whatsappConfigFromEnv', () => {
  it('has working defaults', () => {
    const config = whatsappConfigFromEnv({}, '/data');
    expect(config).toMatchObject({
      enabled: true,
      chromiumPath: '/usr/bin/chromium',
      headless: true,
      webCache: { type: 'local', path: '/data/wa-web-cache', strict: false },
      profilesDir: '/data/whatsapp/profiles',
      maxNumbersPerProcess: 10,
      maxMediaBytes: 16 * 1024 * 1024,
      blockResources: ['image', 'font', 'media'],
    });
    expect(config.chromiumArgs).toEqual(DEFAULT_CHROMIUM_ARGS);
    expect(config.webVersion).toBeUndefined();
  });

  it('pins a web version strictly from a local cache (the stand-in in tests)', () => {
    const config = whatsappConfigFromEnv(
      { PARLEY_WA_WEB_VERSION: '2.3000.1', PARLEY_WA_WEB_CACHE_DIR: '/standin', PARLEY_WHATSAPP: '0' },
      '/data',
    );
    expect(config.enabled).toBe(false);
    expect(config.webVersion).toBe('2.3000.1');
    expect(config.webCache).toEqual({ type: 'local', path: '/standin', strict: true });
  });

  it('reads limits, keys and extra flags', () => {
    const config = whatsappConfigFromEnv(
      {
        PARLEY_WA_MAX_MEMORY_MB: '500',
        PARLEY_WA_MAX_MESSAGE_AGE_S: '60',
        PARLEY_CHROMIUM_ARGS: '--lang=en --foo',
        PARLEY_SECRET_KEY: 'k'.repeat(20),
        PARLEY_SECRET_KEY_PREVIOUS: 'p'.repeat(20),
        PARLEY_WA_BLOCK_RESOURCES: '',
        PARLEY_WA_WEB_CACHE: 'remote',
        PARLEY_WA_WEB_CACHE_URL: 'https://cache.example/{version}.html',
      },
      '/data',
    );
    expect(config.maxMemoryBytes).toBe(500 * 1024 * 1024);
    expect(config.maxMessageAgeMs).toBe(60_000);
    expect(config.chromiumArgs.slice(-2)).toEqual(['--lang=en', '--foo']);
    expect(config.secretKey).toBe('k'.repeat(20));
    expect(config.previousSecretKey).toBe('p'.repeat(20));
    expect(config.blockResources).toEqual([]);
    expect(config.webCache).toMatchObject({
      type: 'remote',
      remotePath: 'https://cache.example/{version}.html',
    });
    expect(() => whatsappConfigFromEnv({ PARLEY_WA_LEASE_MS: 'soon' }, '/d')).toThrow(/PARLEY_WA_LEASE_MS/);
  });

  it('names profile folders the way LocalAuth does', () => {
    expect(profileDirOf('/p', 'abc')).toBe('/p/session-abc');
  });
});
