import { compileAnswerSchema, type QuestionConfig } from '@parley/schemas';
import type { ValidateFunction } from 'ajv';
import { type AnswerReading, parseAnswer, type Reply } from './parse-answer.js';
import { defaultRetryText } from './retry-text.js';

export type ReadAnswer =
  | { ok: true; value: unknown }
  | { ok: true; skipped: true }
  | { ok: false; message: string };

const validators = new WeakMap<QuestionConfig['answer'], ValidateFunction | string>();

function validatorOf(config: QuestionConfig): ValidateFunction | string {
  const known = validators.get(config.answer);
  if (known !== undefined) return known;
  const compiled = compileAnswerSchema(config.answer);
  const validator = compiled.ok ? compiled.validate : compiled.message;
  validators.set(config.answer, validator);
  return validator;
}

/**
 * One reply read against one question exactly as the chat reads it, with the message the contact
 * would get back when it is refused. The editor's form preview uses it, so it accepts what the
 * chat accepts and says what the chat says.
 */
export function readAnswer(config: QuestionConfig, reply: Reply, reading: AnswerReading): ReadAnswer {
  const validate = validatorOf(config);
  if (typeof validate === 'string')
    return { ok: false, message: `The answer settings are broken: ${validate}` };
  const parsed = parseAnswer(config, reply, validate, reading);
  if (parsed.kind === 'valid') return { ok: true, value: parsed.value };
  if (parsed.kind === 'skip') return { ok: true, skipped: true };
  return { ok: false, message: config.retry?.message ?? defaultRetryText(config, reading, parsed) };
}
