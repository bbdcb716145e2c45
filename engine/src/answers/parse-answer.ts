import { type Choice, isMultiChoice, type QuestionConfig } from '@parley/schemas';
import type { ValidateFunction } from 'ajv';
import type { InboundLocation, InboundMedia } from '../events.js';
import { isOutsideDateLimits } from './date-limits.js';
import { usableLocale } from './locale.js';
import { matchChoice, matchChoices } from './match-choice.js';
import { parseBoolean } from './parse-boolean.js';
import { parseDate } from './parse-date.js';
import { parseNumber } from './parse-number.js';
import { parsePhone } from './parse-phone.js';

/** What the contact sent in reply to a question. */
export interface Reply {
  text?: string;
  media?: InboundMedia;
  location?: InboundLocation;
  choiceIds?: string[];
}

/** How the flow reads answers: its settings for dates, numbers and phones, and the time of the reply. */
export interface AnswerReading {
  defaultCountry?: string;
  locale?: string;
  timeZone?: string;
  /** The time of the reply (epoch ms), for relative dates ("tomorrow"). */
  now?: number;
}

/**
 * A reply read against a question: a value to store (and the handle to leave by), a skip, or
 * invalid (a date read fine but before the earliest or after the latest date says so).
 */
export type ParsedAnswer =
  | { kind: 'valid'; value: unknown; choice?: Choice }
  | { kind: 'skip' }
  | { kind: 'invalid'; outsideDates?: true };

const INVALID: ParsedAnswer = { kind: 'invalid' };

function candidateFromChoices(
  config: QuestionConfig,
  reply: Reply,
): { value: unknown; choice?: Choice } | null {
  const choices = config.choices ?? [];
  if (reply.choiceIds !== undefined) {
    const picked = reply.choiceIds.flatMap((id) => choices.filter((choice) => choice.id === id));
    if (picked.length === 0) return null;
    return isMultiChoice(config)
      ? { value: [...new Set(picked.map((c) => c.value))] }
      : { value: picked[0]?.value, choice: picked[0] };
  }
  const text = reply.text ?? '';
  if (isMultiChoice(config)) {
    const picked = matchChoices(choices, text);
    return picked === null ? null : { value: [...new Set(picked.map((choice) => choice.value))] };
  }
  const choice = matchChoice(choices, text);
  return choice === undefined ? null : { value: choice.value, choice };
}

function candidateFromText(
  config: QuestionConfig,
  text: string,
  reading: AnswerReading,
): { value: unknown } | null {
  const answer = config.answer as { type: string; format?: string };
  switch (answer.type) {
    case 'number':
    case 'integer': {
      const value = parseNumber(text, reading.locale);
      return value === null ? null : { value };
    }
    case 'boolean': {
      const value = parseBoolean(text);
      return value === null ? null : { value };
    }
    case 'array':
      return {
        value: text
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      };
    case 'object':
      return null;
    default: {
      if (answer.format === 'date') {
        const date = parseDate(text, {
          locale: reading.locale,
          timeZone: reading.timeZone,
          now: reading.now ?? 0,
        });
        // Anything else is left to the schema, which refuses it as before.
        return { value: date ?? text };
      }
      if (answer.format !== 'phone') return { value: text };
      const phone = parsePhone(text, reading.defaultCountry);
      return phone === null ? null : { value: phone };
    }
  }
}

function candidate(
  config: QuestionConfig,
  reply: Reply,
  reading: AnswerReading,
): { value: unknown; choice?: Choice } | null {
  const accept = config.accept ?? 'text';
  if (accept === 'media') return reply.media === undefined ? null : { value: { ...reply.media } };
  if (accept === 'location') return reply.location === undefined ? null : { value: { ...reply.location } };
  if (config.choices !== undefined) return candidateFromChoices(config, reply);
  if (reply.text === undefined) return null;
  return candidateFromText(config, reply.text, reading);
}

/** Reads a reply against a question's answer settings and checks it with the answer's JSON Schema. */
export function parseAnswer(
  config: QuestionConfig,
  reply: Reply,
  validate: ValidateFunction,
  reading: AnswerReading = {},
): ParsedAnswer {
  const trimmed: Reply = reply.text === undefined ? reply : { ...reply, text: reply.text.trim() };
  if (config.skippable === true && trimmed.text?.toLocaleLowerCase() === 'skip') return { kind: 'skip' };
  const found = candidate(config, trimmed, { ...reading, locale: usableLocale(reading.locale) });
  if (found === null || !validate(found.value)) return INVALID;
  if (
    typeof found.value === 'string' &&
    isOutsideDateLimits(config, found.value, { now: reading.now ?? 0, timeZone: reading.timeZone })
  ) {
    return { kind: 'invalid', outsideDates: true };
  }
  return { kind: 'valid', ...found };
}
