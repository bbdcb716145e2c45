import type { QuestionConfig } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_TEXT } from '../compile-flow.js';
import { defaultRetryText } from './retry-text.js';

function question(answer: Record<string, unknown>, extra: Partial<QuestionConfig> = {}): QuestionConfig {
  return { prompt: 'Q?', variable: 'v', answer: answer as QuestionConfig['answer'], ...extra };
}

const SORRY = "Sorry, I didn't understand that.";

describe('defaultRetryText', () => {
  it('keeps the general message for flows without a locale or time zone', () => {
    expect(defaultRetryText(question({ type: 'string', format: 'date' }), {})).toBe(DEFAULT_RETRY_TEXT);
  });

  it.each([
    ['en-GB', { type: 'string', format: 'date' }, 'Please write a date, for example 14/07/2025.'],
    ['en-US', { type: 'string', format: 'date' }, 'Please write a date, for example 07/14/2025.'],
    ['de-DE', { type: 'string', format: 'date' }, 'Please write a date, for example 14.07.2025.'],
    ['en-US', { type: 'number' }, 'Please write a number, for example 1,500.5.'],
    ['de-DE', { type: 'number' }, 'Please write a number, for example 1.500,5.'],
    ['en-US', { type: 'integer', minimum: 1, maximum: 5 }, 'Please write a whole number from 1 to 5.'],
    ['en-US', { type: 'integer', minimum: 18 }, 'Please write a whole number of at least 18.'],
    ['en-US', { type: 'boolean' }, 'Please answer yes or no.'],
    [
      'en-US',
      { type: 'string', format: 'email' },
      'Please write an email address, for example ana@example.com.',
    ],
    [
      'en-US',
      { type: 'string', format: 'phone' },
      'Please write a phone number with its country code, for example +44 7700 900123.',
    ],
  ])('%s, %j: %s', (locale, answer, expected) => {
    expect(defaultRetryText(question(answer), { locale })).toBe(`${SORRY} ${expected}`);
  });

  it('asks to pick from the choices', () => {
    const choices = [
      { id: 'a', label: 'A', value: 'a' },
      { id: 'b', label: 'B', value: 'b' },
    ];
    expect(
      defaultRetryText(question({ type: 'string', enum: ['a', 'b'] }, { choices }), { locale: 'en' }),
    ).toBe(`${SORRY} Please pick one of the options.`);
  });

  it('falls back to the general message for free text it cannot describe', () => {
    expect(defaultRetryText(question({ type: 'string', pattern: '^[A-Z]{3}$' }), { locale: 'en' })).toBe(
      DEFAULT_RETRY_TEXT,
    );
  });

  it('uses a time zone alone as the switch, with examples in ISO form', () => {
    expect(
      defaultRetryText(question({ type: 'string', format: 'date' }), { timeZone: 'Europe/Berlin' }),
    ).toBe(`${SORRY} Please write a date, for example 2025-07-14.`);
  });
});
