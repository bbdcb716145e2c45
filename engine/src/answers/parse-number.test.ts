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

describe('parseNumber with a locale', () => {
  it.each([
    ['en-US', '1,000', 1000],
    ['en-US', '1,5', 1.5],
    ['en-US', '1.5', 1.5],
    ['en-US', '1 500', 1500],
    ['en-US', '1,234,567.25', 1234567.25],
    ['en-US', '-1,000', -1000],
    ['en-US', '+42', 42],
    ['en-US', '.5', 0.5],
    ['en-IN', '12,34,567.5', 1234567.5],
    ['de-DE', '1.000', 1000],
    ['de-DE', '1,5', 1.5],
    ['de-DE', '1.5', 1.5],
    ['de-DE', '1.234.567,25', 1234567.25],
    ['de-DE', '1 500', 1500],
    ['pt-BR', '1.500,75', 1500.75],
    ['fr-FR', '1 500,5', 1500.5],
    ['fr-FR', '1\u202f500', 1500],
    ['fr-FR', '1,5', 1.5],
    ['de-CH', "1'500", 1500],
  ])('%s reads %j as %d', (locale, text, expected) => {
    expect(parseNumber(text, locale)).toBe(expected);
  });

  it.each([
    ['en-US', '1,00,0'],
    ['en-US', '1,000,00'],
    ['en-US', '1.000.5'],
    ['en-US', 'abc'],
    ['en-US', '3 apples'],
    ['de-DE', '1,000.5'],
    ['de-DE', '1.2.3'],
    ['en-US', ''],
    ['en-US', '1e5'],
  ])('%s refuses %j', (locale, text) => {
    expect(parseNumber(text, locale)).toBeNull();
  });
});
