import { describe, expect, it } from 'vitest';
import { storableJson, storableText } from './storable-text.js';

describe('storable text', () => {
  it('replaces NUL and lone surrogates, keeps pairs and everything else', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('end\uD83D')).toBe('end\uFFFD');
    expect(storableText('emoji 😀 ok, ünïcode')).toBe('emoji 😀 ok, ünïcode');
  });

  it('cleans keys and values deep in JSON values, leaving other types alone', () => {
    expect(storableJson({ 'k\u0000': ['v\uDFFF', 1, true, null, { n: 'a\u0000' }], plain: 'fine' })).toEqual({
      'k\uFFFD': ['v\uFFFD', 1, true, null, { n: 'a\uFFFD' }],
      plain: 'fine',
    });
    expect(storableJson(42)).toBe(42);
  });

  it('gives JSON that Postgres accepts', () => {
    const cleaned = JSON.stringify(storableJson({ text: '\u0000\uD800' }));
    expect(cleaned).not.toMatch(/\\u0000|\\ud800/i);
  });
});
