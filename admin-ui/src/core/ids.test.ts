import { describe, expect, it } from 'vitest';
import { nextId, nextIds, slugify } from './ids';

describe('ids', () => {
  it('continues after the largest number used with the prefix', () => {
    expect(nextId('n', [])).toBe('n1');
    expect(nextId('n', ['n1', 'n10', 'n3', 'e99', 'node5'])).toBe('n11');
    expect(nextIds('e', ['e2'], 3)).toEqual(['e3', 'e4', 'e5']);
  });

  it('escapes the prefix', () => {
    expect(nextId('a.b', ['axb7', 'a.b2'])).toBe('a.b3');
  });

  it('makes choice values from labels', () => {
    expect(slugify('Pro plan')).toBe('pro_plan');
    expect(slugify('  Été — 2 ')).toBe('ete_2');
    expect(slugify('!!!')).toBe('option');
  });
});
