import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv.js';

// Strict so that a typo in an answer schema ("minlenght") is reported instead of silently ignored.
const answerAjv = createAjv({
  strictSchema: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
});
const cache = new Map<string, CompiledAnswer>();

export type CompiledAnswer = { ok: true; validate: ValidateFunction } | { ok: false; message: string };

/** Compiles (once per distinct schema) the validator of a question's answer. */
export function compileAnswerSchema(schema: object): CompiledAnswer {
  const key = JSON.stringify(schema);
  let compiled = cache.get(key);
  if (compiled === undefined) {
    try {
      compiled = { ok: true, validate: answerAjv.compile(structuredClone(schema)) };
    } catch (cause) {
      compiled = { ok: false, message: cause instanceof Error ? cause.message : String(cause) };
    }
    cache.set(key, compiled);
  }
  return compiled;
}
