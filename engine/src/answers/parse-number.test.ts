import { describe, expect, it } from 'vitest';
import { parseNumber } from './parse-number.js';

describe('parseNumber', () => {
  it.each([
    ['3.5', 3.5],
    ['3,5', 3.5],
    ['-2', -2],
    ['-0,25', -0.25],
    ['  42  ', 42],
    ['0', 0],
    ['007', 7],
  ])('reads %j as %d', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });

  it('takes a comma as the decimal separator, never as a thousands separator', () => {
    expect(parseNumber('1,000')).toBe(1);
    expect(parseNumber('1.000')).toBe(1);
  });

  it.each([
    '',
    '   ',
    'abc',
    '3 apples',
    '1,000.5',
    '1.234,5',
    '1.2.3',
    '3,5,1',
    '1 000',
    '+3',
    '--1',
    '- 1',
    '-',
    ',',
    '3e2',
    '0x10',
    'Infinity',
    'NaN',
    '½',
  ])('refuses %j', (text) => {
    expect(parseNumber(text)).toBeNull();
  });
});
