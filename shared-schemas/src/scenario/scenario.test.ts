import { describe, expect, it } from 'vitest';
import { compareResult, compareTurn } from './scenario.js';

describe('conversation test comparison', () => {
  it('finds no difference when the bot says what was expected, spaces and choices aside', () => {
    expect(
      compareTurn(
        0,
        'hi',
        [{ text: 'Hello ' }, { text: 'Pick', choices: ['A', 'B'] }],
        [{ text: 'Hello' }, { text: 'Pick', choices: ['A', 'B'] }],
      ),
    ).toEqual([]);
    // A message expected without choices does not check them.
    expect(compareTurn(0, 'hi', [{ text: 'Pick' }], [{ text: 'Pick', choices: ['A'] }])).toEqual([]);
  });

  it('names the turn, what was expected and what the bot said', () => {
    expect(compareTurn(1, 'yes', [{ text: 'Thanks' }], [{ text: 'Pick', choices: ['A', 'B'] }])).toEqual([
      'turn 2 (user: "yes"):',
      '  - expected: "Thanks"',
      '  + actual:   "Pick" [A | B]',
    ]);
    expect(compareTurn(0, 'hello', [], [{ text: 'Hi' }])).toEqual([
      'turn 1 (user: "hello"):',
      '  - expected: (silence)',
      '  + actual:   "Hi"',
    ]);
  });

  it('compares the status and the answers, whatever the order of their keys', () => {
    expect(
      compareResult(
        { status: 'completed', answers: { a: 1, b: [2] } },
        { status: 'completed', answers: { b: [2], a: 1 } },
      ),
    ).toEqual([]);
    expect(compareResult({ status: 'completed' }, { status: 'active', answers: { a: 1 } })).toEqual([
      'status: expected completed, got active',
      'answers: expected {}, got {"a":1}',
    ]);
  });
});
