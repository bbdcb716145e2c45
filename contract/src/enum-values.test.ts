import { describe, expect, it } from 'vitest';
import { isLiveSession, SESSION_STATES } from './enum-values.js';

describe('isLiveSession', () => {
  it('is true while a runtime drives the session, false once it is over or never started', () => {
    expect(SESSION_STATES.filter(isLiveSession)).toEqual([
      'starting',
      'qr_pending',
      'connected',
      'reconnecting',
    ]);
    expect(isLiveSession('logged_out')).toBe(false);
    expect(isLiveSession('not-a-state')).toBe(false);
  });
});
