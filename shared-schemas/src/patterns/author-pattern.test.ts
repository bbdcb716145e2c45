import { describe, expect, it } from 'vitest';
import { evaluateRule } from '../conditions/evaluate.js';
import { compileAnswerSchema } from '../validation/answer-validator.js';
import { patternProblem, searchPattern } from './author-pattern.js';

// Exponential for a backtracking engine: JavaScript's RegExp would run for hours on this answer.
const NAME_PATTERN = '^([a-zA-Z]+ ?)+$';
const EVIL_ANSWER = `${'a'.repeat(39)}!`;

describe('author patterns (RE2)', () => {
  it('searches anywhere in the text, case-sensitive unless asked', () => {
    expect(searchPattern('b+c', 'abbbcd')).toBe(true);
    expect(searchPattern('^b', 'abc')).toBe(false);
    expect(searchPattern('HELLO', 'hello there')).toBe(false);
    expect(searchPattern('HELLO', 'hello there', { ignoreCase: true })).toBe(true);
    expect(searchPattern('^(?P<word>\\w+)$', 'word_1')).toBe(true);
    expect(searchPattern('^\\p{L}+$', 'Zoë')).toBe(true);
  });

  it('finds nothing with a pattern it cannot compile', () => {
    expect(searchPattern('(?=a)a', 'a')).toBe(false);
  });

  it('completes a pathological pattern on a long non-matching text', () => {
    expect(searchPattern(NAME_PATTERN, EVIL_ANSWER)).toBe(false);
    expect(searchPattern(NAME_PATTERN, 'Ana Lima')).toBe(true);
  });

  it('runs answer schemas on RE2, patternProperties too', () => {
    const compiled = compileAnswerSchema({ type: 'string', pattern: NAME_PATTERN });
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.validate(EVIL_ANSWER)).toBe(false);
    expect(compiled.validate('Ana Lima')).toBe(true);
    const byName = compileAnswerSchema({
      type: 'object',
      patternProperties: { [NAME_PATTERN]: { type: 'number' } },
    });
    if (!byName.ok) throw new Error(byName.message);
    expect(byName.validate({ [EVIL_ANSWER]: 'not checked: the name does not match' })).toBe(true);
    expect(byName.validate({ 'Ana Lima': 'x' })).toBe(false);
  });

  it('runs `matches` conditions on RE2', () => {
    const scope = { variables: { name: EVIL_ANSWER }, contact: {}, flow: { name: 'f' } };
    expect(evaluateRule({ var: 'name', op: 'matches', value: NAME_PATTERN }, scope)).toBe(false);
    expect(evaluateRule({ var: 'name', op: 'matches', value: 'A{39}!' }, scope)).toBe(true);
  });

  it('says in plain words what RE2 does not support', () => {
    expect(patternProblem(NAME_PATTERN)).toBeNull();
    expect(patternProblem('(\\w)\\1')).toBe(
      'backreferences like \\1 are not supported. Repeat the part itself instead.',
    );
    expect(patternProblem('(?<n>a)\\k<n>')).toBe(
      'backreferences like \\k<name> are not supported. Repeat the part itself instead.',
    );
    expect(patternProblem('a(?!b)')).toMatch(/^lookaheads like/);
    expect(patternProblem('(?<!a)b')).toMatch(/^lookbehinds like/);
    expect(patternProblem('a++')).toBe(
      '“++” repeats a repetition, which is not supported. Put the inner part in a group: (?:a+)+.',
    );
    expect(patternProblem('*a')).toBe(
      '“*” has nothing before it to repeat. Write \\* to match the character itself.',
    );
    expect(patternProblem('a)', { ignoreCase: true })).toBe(
      'a “)” has no “(” to close. Write \\) to match the character itself.',
    );
    expect(patternProblem('[z-a]')).toBe('“z-a” is not a valid range or character class.');
    expect(patternProblem('a\\')).toBe('it ends with a lone \\. Write \\\\ to match a backslash.');
    expect(patternProblem('a{1001}')).toBe(
      'the repeat count “{1001}” is not valid: counts go up to 1000, the smaller number first.',
    );
  });
});
