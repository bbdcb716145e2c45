import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs } from './retry-after.js';

describe('retryAfterMs', () => {
  it('reads milliseconds, seconds and HTTP dates, preferring milliseconds', () => {
    expect(retryAfterMs({ 'retry-after-ms': '150', 'retry-after': '9' })).toBe(150);
    expect(retryAfterMs({ 'Retry-After': '2' })).toBe(2000);
    expect(retryAfterMs({ 'retry-after': '0.5' })).toBe(500);
    const now = Date.parse('2026-12-05T12:00:00Z');
    expect(retryAfterMs({ 'retry-after': 'Sat, 05 Dec 2026 12:00:03 GMT' }, now)).toBe(3000);
  });

  it('is undefined when the provider did not say or said nonsense', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': '-3' })).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it('doubles from half a second and stays bounded', () => {
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(2, () => 0)).toBe(1000);
    expect(backoffMs(10, () => 0.99)).toBeLessThan(8250);
  });
});
