import type { Choice } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { matchChoice, matchChoices } from './match-choice.js';

const drinks: Choice[] = [
  { id: 'c1', label: 'Tea', value: 'hot_tea' },
  { id: 'c2', label: 'Coffee', value: 'coffee' },
  { id: 'c3', label: 'Sparkling water', value: 'water' },
];

describe('matchChoice', () => {
  it('matches a label, case-insensitively and trimmed', () => {
    expect(matchChoice(drinks, 'TEA')?.id).toBe('c1');
    expect(matchChoice(drinks, '  sparkling WATER ')?.id).toBe('c3');
  });

  it('matches a choice stored as its label by label, value or number alike', () => {
    const services: Choice[] = [
      { id: 'c1', label: 'Cleaning & check-up', value: 'Cleaning & check-up' },
      { id: 'c2', label: 'Whitening', value: 'Whitening' },
    ];
    expect(matchChoice(services, 'cleaning & CHECK-UP')?.id).toBe('c1');
    expect(matchChoice(services, '2')?.id).toBe('c2');
    expect(matchChoices(services, 'Whitening, 1')?.map((choice) => choice.value)).toEqual([
      'Whitening',
      'Cleaning & check-up',
    ]);
  });

  it('matches a value, case-insensitively', () => {
    expect(matchChoice(drinks, 'Hot_Tea')?.id).toBe('c1');
    expect(matchChoice(drinks, 'water')?.id).toBe('c3');
  });

  it('matches the 1-based number of a choice', () => {
    expect(matchChoice(drinks, '1')?.id).toBe('c1');
    expect(matchChoice(drinks, ' 3 ')?.id).toBe('c3');
  });

  it('prefers a label over a value, and a value over a number', () => {
    const tables: Choice[] = [
      { id: 'two', label: '2', value: 'pair' },
      { id: 'four', label: '4', value: 'quad' },
      { id: 'big', label: 'Large group', value: '1' },
      { id: 'other', label: 'Other', value: 'Large group' },
    ];
    // "2" is the label of the first choice, not the second choice by number.
    expect(matchChoice(tables, '2')?.id).toBe('two');
    // "1" is the value of the third choice, not the first choice by number.
    expect(matchChoice(tables, '1')?.id).toBe('big');
    // "large group" is a label of one choice and the value of another: the label wins.
    expect(matchChoice(tables, 'large group')?.id).toBe('big');
    expect(matchChoice(tables, '4')?.id).toBe('four');
    expect(matchChoice(tables, '3')?.id).toBe('big');
  });

  it('matches numeric values by their text', () => {
    const sizes: Choice[] = [
      { id: 's', label: 'Small', value: 10 },
      { id: 'l', label: 'Large', value: 20 },
    ];
    expect(matchChoice(sizes, '20')?.id).toBe('l');
    expect(matchChoice(sizes, '2')?.id).toBe('l');
  });

  it('matches nothing for unknown text, out-of-range numbers or an empty reply', () => {
    expect(matchChoice(drinks, 'juice')).toBeUndefined();
    expect(matchChoice(drinks, '0')).toBeUndefined();
    expect(matchChoice(drinks, '4')).toBeUndefined();
    expect(matchChoice(drinks, '-1')).toBeUndefined();
    expect(matchChoice(drinks, '1.0')).toBeUndefined();
    expect(matchChoice(drinks, 'te')).toBeUndefined();
    expect(matchChoice(drinks, '   ')).toBeUndefined();
  });
});

describe('matchChoices', () => {
  const ids = (choices: Choice[] | null) => choices?.map((choice) => choice.id) ?? null;

  it('first tries the whole reply as one choice (a label with a space)', () => {
    expect(ids(matchChoices(drinks, 'sparkling water'))).toEqual(['c3']);
    expect(ids(matchChoices(drinks, '2'))).toEqual(['c2']);
  });

  it('splits on commas when there is one', () => {
    expect(ids(matchChoices(drinks, 'coffee, Sparkling water'))).toEqual(['c2', 'c3']);
    expect(ids(matchChoices(drinks, '3,1'))).toEqual(['c3', 'c1']);
  });

  it('splits on white space when there is no comma', () => {
    expect(ids(matchChoices(drinks, '3 1'))).toEqual(['c3', 'c1']);
    expect(ids(matchChoices(drinks, 'tea   coffee\t2'))).toEqual(['c1', 'c2']);
  });

  it('keeps the order given and drops duplicates', () => {
    expect(ids(matchChoices(drinks, '2 1 2 coffee tea'))).toEqual(['c2', 'c1']);
    expect(ids(matchChoices(drinks, 'water, 3, Sparkling water'))).toEqual(['c3']);
  });

  it('is invalid (null) when one part names no choice', () => {
    expect(matchChoices(drinks, 'tea juice')).toBeNull();
    expect(matchChoices(drinks, '1, 9')).toBeNull();
    // Without a comma a label with a space cannot be one of several parts.
    expect(matchChoices(drinks, 'tea sparkling water')).toBeNull();
  });

  it('is invalid (null) for an empty reply', () => {
    expect(matchChoices(drinks, '')).toBeNull();
    expect(matchChoices(drinks, ' , ')).toBeNull();
  });
});
