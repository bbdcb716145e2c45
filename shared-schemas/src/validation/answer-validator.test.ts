import { describe, expect, it } from 'vitest';
import { ANSWER_SCHEMA_CACHE_MAX, answerSchemaCacheSize, compileAnswerSchema } from './answer-validator.js';

describe('compiled answer schemas', () => {
  it('stay bounded however many distinct schemas are compiled, and evicted ones compile again', () => {
    const schemaNumber = (n: number) => ({ type: 'string', maxLength: n + 1 });
    for (let n = 0; n < ANSWER_SCHEMA_CACHE_MAX + 100; n += 1) {
      const compiled = compileAnswerSchema(schemaNumber(n));
      expect(compiled.ok).toBe(true);
    }
    expect(answerSchemaCacheSize()).toBe(ANSWER_SCHEMA_CACHE_MAX);

    // The first schema was evicted long ago: it is compiled again and still validates.
    const first = compileAnswerSchema(schemaNumber(0));
    if (!first.ok) throw new Error(first.message);
    expect(first.validate('a')).toBe(true);
    expect(first.validate('ab')).toBe(false);
    expect(answerSchemaCacheSize()).toBe(ANSWER_SCHEMA_CACHE_MAX);
  });

  it('reuses the compiled validator of a schema seen recently', () => {
    const schema = { type: 'integer', minimum: 3 };
    const once = compileAnswerSchema(schema);
    const again = compileAnswerSchema({ ...schema });
    expect(again).toBe(once);
  });
});
