import type { Options } from 'ajv';
import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * Every regular expression a flow author writes — `regex` triggers, `matches` conditions, answer
 * `pattern` and `patternProperties` — is compiled and matched here, by RE2: matching takes time
 * linear in the text, whatever the pattern. JavaScript's RegExp backtracks, and one pattern such as
 * `^([a-zA-Z]+ ?)+$` with one 40-character answer would hold a runtime for hours.
 */

export interface PatternOptions {
  ignoreCase?: boolean;
}

export type CompiledPattern = { ok: true; regex: RE2JS } | { ok: false; reason: string };

// Flows use a handful of patterns each; the bound only keeps a long-running process from growing.
const MAX_CACHED = 5_000;
const cache = new Map<string, CompiledPattern>();

/** Why RE2 refused a pattern, in words an admin understands (lower case, ends with a period). */
function reasonFor(error: RE2JSSyntaxException): string {
  const input = error.getPattern() ?? '';
  switch (error.getDescription()) {
    case 'invalid or unsupported Perl syntax':
      if (input === '(?=' || input === '(?!')
        return 'lookaheads like (?=…) and (?!…) are not supported. Describe the text itself instead.';
      return `“${input}” is not a supported group or flag. Flags can be (?i), (?m), (?s) or (?U).`;
    case 'invalid named capture':
      if (input.startsWith('(?<=') || input.startsWith('(?<!'))
        return 'lookbehinds like (?<=…) and (?<!…) are not supported. Describe the text itself instead.';
      return `the group name in “${input}” is not valid: use letters, digits and _.`;
    case 'invalid escape sequence':
      if (/^\\[1-9]$/.test(input))
        return `backreferences like ${input} are not supported. Repeat the part itself instead.`;
      if (input === '\\k')
        return 'backreferences like \\k<name> are not supported. Repeat the part itself instead.';
      if (input === '\\u') return 'write a character by its code as \\x{00E9}, not \\u00E9.';
      return `“${input}” is not a known escape. Put a \\ only before a special character (\\. \\* \\( …) or a class such as \\d, \\w, \\s.`;
    case 'invalid nested repetition operator':
      return `“${input}” repeats a repetition, which is not supported. Put the inner part in a group: (?:a+)+.`;
    case 'invalid repeat count':
      return `the repeat count “${input}” is not valid: counts go up to 1000, the smaller number first.`;
    case 'missing argument to repetition operator':
      return `“${input}” has nothing before it to repeat. Write \\${input.charAt(0)} to match the character itself.`;
    case 'missing closing )':
      return 'a “(” is never closed.';
    case 'unexpected )':
      return 'a “)” has no “(” to close. Write \\) to match the character itself.';
    case 'missing closing ]':
      return 'a “[” is never closed.';
    case 'invalid character class range':
      return `“${input}” is not a valid range or character class.`;
    case 'trailing backslash at end of expression':
      return 'it ends with a lone \\. Write \\\\ to match a backslash.';
    case 'duplicate capture group name':
      return `two groups are named “${input}”; group names must differ.`;
    case 'expression nests too deeply':
    case 'expression too large':
      return 'it is too large or nests too deeply. Write a shorter pattern.';
    default:
      return `${error.getDescription()}.`;
  }
}

function compileUncached(pattern: string, ignoreCase: boolean): CompiledPattern {
  try {
    return { ok: true, regex: RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) };
  } catch (error) {
    if (error instanceof RE2JSSyntaxException) return { ok: false, reason: reasonFor(error) };
    throw error;
  }
}

/** Compiles an author's pattern with RE2 (once per pattern and flags), or says why it can't be used. */
export function compilePattern(pattern: string, options: PatternOptions = {}): CompiledPattern {
  const ignoreCase = options.ignoreCase === true;
  const key = `${ignoreCase ? 'i' : '-'}${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compileUncached(pattern, ignoreCase);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

/** Why a pattern can't be used (a sentence to follow "This pattern can't be used: "), or null. */
export function patternProblem(pattern: string, options: PatternOptions = {}): string | null {
  const compiled = compilePattern(pattern, options);
  return compiled.ok ? null : compiled.reason;
}

/**
 * Whether the pattern is found anywhere in the text (an unanchored search). A pattern RE2 cannot
 * compile finds nothing: validation refuses such patterns before a flow can be published.
 */
export function searchPattern(pattern: string, text: string, options: PatternOptions = {}): boolean {
  const compiled = compilePattern(pattern, options);
  return compiled.ok && compiled.regex.test(text);
}

type RegExpEngine = NonNullable<NonNullable<Options['code']>['regExp']>;

/**
 * ajv's `code.regExp`: `pattern` and `patternProperties` in schemas run on RE2. Unicode is always
 * on in RE2, so ajv's "u" flag needs nothing. `code` would only be used to generate standalone
 * validator source, which Parley never does.
 */
export const re2RegExpEngine: RegExpEngine = Object.assign(
  (pattern: string) => {
    const compiled = compilePattern(pattern);
    if (!compiled.ok) throw new Error(`This pattern can't be used: ${compiled.reason}`);
    return compiled.regex;
  },
  { code: 'require("re2js").RE2JS.compile' },
);
