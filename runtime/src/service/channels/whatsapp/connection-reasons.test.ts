import { SESSION_REASONS } from '@parley/contract';
import { describe, expect, it } from 'vitest';
import { reasonCodeOfError, sessionReason } from './connection-reasons.js';

describe('reasonCodeOfError', () => {
  it.each([
    ['net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/', 'web_unreachable'],
    ['net::ERR_CONNECTION_REFUSED at https://web.whatsapp.com/', 'web_unreachable'],
    ['net::ERR_INTERNET_DISCONNECTED at https://web.whatsapp.com/', 'web_unreachable'],
    ['net::ERR_PROXY_CONNECTION_FAILED at https://web.whatsapp.com/', 'web_unreachable'],
    ['net::ERR_CERT_AUTHORITY_INVALID at https://web.whatsapp.com/', 'web_unreachable'],
    ['getaddrinfo ENOTFOUND web.whatsapp.com', 'web_unreachable'],
    ['Failed to launch the browser process! spawn /usr/bin/chromium ENOENT', 'browser_missing'],
    ['Browser was not found at the configured executablePath (/opt/chrome)', 'browser_missing'],
    ['Failed to launch the browser process!\nFATAL: Cannot allocate memory', 'out_of_memory'],
    ['spawn ENOMEM', 'out_of_memory'],
    ['Protocol error (Runtime.callFunctionOn): Target closed', 'browser_crashed'],
    ['Navigating frame was detached; Session closed.', 'browser_crashed'],
    ['auth timeout', 'web_version_unsupported'],
    ['Evaluation failed: TypeError: window.Store.Msg is undefined', 'web_version_unsupported'],
    ['something nobody expected', 'start_failed'],
  ])('%s → %s', (message, code) => {
    expect(reasonCodeOfError(message)).toBe(code);
  });
});

describe('sessionReason', () => {
  it('words every reason with a message and a next step', () => {
    for (const code of SESSION_REASONS) {
      const reason = sessionReason({ code }, false);
      expect(reason.message, code).toMatch(/^[A-Z].+\.$/);
      expect(reason.nextStep, code).toMatch(/^[A-Z].+\.$/);
    }
  });

  it('says Parley retries while it does, and Try again once it stopped, with the attempt', () => {
    const cause = { code: 'web_unreachable' as const, detail: 'ECONNREFUSED' };
    const retrying = sessionReason(cause, true, {
      attempt: 2,
      maxAttempts: 5,
      retryAt: Date.UTC(2026, 0, 1),
    });
    expect(retrying).toEqual({
      code: 'web_unreachable',
      message: 'The server cannot reach WhatsApp Web.',
      nextStep: expect.stringMatching(/Parley tries again by itself\.$/),
      detail: 'ECONNREFUSED',
      attempt: 2,
      maxAttempts: 5,
      retryAt: '2026-01-01T00:00:00.000Z',
    });
    expect(sessionReason(cause, false).nextStep).toMatch(/then press Try again\.$/);
  });
});
