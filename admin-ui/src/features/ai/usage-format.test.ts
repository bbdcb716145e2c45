import { describe, expect, it } from 'vitest';
import { currentMonth, formatCost, monthTitle, parseQuota, shiftMonth } from './usage-format';

describe('usage formats', () => {
  it('reads a quota as people type it, and says what is wrong otherwise', () => {
    expect(parseQuota(' 2,000,000 ')).toEqual({ tokens: 2_000_000 });
    expect(parseQuota('1 500 000')).toEqual({ tokens: 1_500_000 });
    expect(parseQuota('')).toEqual({ tokens: null });
    expect(parseQuota('0')).toEqual({ error: expect.stringContaining('at least 1 token') });
    expect(parseQuota('1.5')).toEqual({ error: expect.stringContaining('whole number') });
    expect(parseQuota('-3')).toEqual({ error: expect.stringContaining('whole number') });
    expect(parseQuota('two million')).toEqual({ error: expect.stringContaining('whole number') });
    expect(parseQuota('9'.repeat(14))).toEqual({ error: expect.stringContaining('at most') });
  });

  it('walks months across years, in UTC', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(monthTitle('2026-03')).toBe('March 2026');
    expect(currentMonth(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12');
  });

  it('shows small costs with more digits', () => {
    expect(formatCost(0.00802)).toBe('$0.008');
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(12.345)).toBe('$12.35');
  });
});
