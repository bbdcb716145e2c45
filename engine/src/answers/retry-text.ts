import { isMultiChoice, type QuestionConfig } from '@parley/schemas';
import { DEFAULT_RETRY_TEXT } from '../compile-flow.js';
import { dateLimitsText } from './date-limits.js';
import { exampleDate, exampleNumber, usableLocale } from './locale.js';
import type { ParsedAnswer } from './parse-answer.js';

interface ReadingSettings {
  locale?: string;
  timeZone?: string;
  defaultCountry?: string;
  /** The time of the reply (epoch ms), for the day date limits count from. */
  now?: number;
}

function range(minimum: number | undefined, maximum: number | undefined, locale: string | undefined): string {
  const format = (value: number) =>
    locale === undefined ? String(value) : new Intl.NumberFormat(locale).format(value);
  if (minimum !== undefined && maximum !== undefined) return ` from ${format(minimum)} to ${format(maximum)}`;
  if (minimum !== undefined) return ` of at least ${format(minimum)}`;
  if (maximum !== undefined) return ` of at most ${format(maximum)}`;
  return '';
}

/** What to ask for, by the kind of answer, with an example written the flow's way. */
function expectation(
  config: QuestionConfig,
  locale: string | undefined,
  defaultCountry: string | undefined,
): string | null {
  const accept = config.accept ?? 'text';
  if (accept === 'media') return 'Please send a photo or a file.';
  if (accept === 'location') return 'Please share a location.';
  if (config.choices !== undefined) {
    return isMultiChoice(config)
      ? 'Please pick one or more of the options, separated by commas.'
      : 'Please pick one of the options.';
  }
  const answer = config.answer as { type: string; format?: string; minimum?: number; maximum?: number };
  switch (answer.type) {
    case 'integer': {
      const bounds = range(answer.minimum, answer.maximum, locale);
      return bounds === ''
        ? `Please write a whole number, for example ${exampleNumber(locale, true)}.`
        : `Please write a whole number${bounds}.`;
    }
    case 'number': {
      const bounds = range(answer.minimum, answer.maximum, locale);
      return bounds === ''
        ? `Please write a number, for example ${exampleNumber(locale, false)}.`
        : `Please write a number${bounds}.`;
    }
    case 'boolean':
      return 'Please answer yes or no.';
    case 'string':
      if (answer.format === 'date') return `Please write a date, for example ${exampleDate(locale)}.`;
      if (answer.format === 'email') return 'Please write an email address, for example ana@example.com.';
      if (answer.format === 'phone') {
        return defaultCountry === undefined
          ? 'Please write a phone number with its country code, for example +44 7700 900123.'
          : 'Please write a phone number.';
      }
      return null;
    default:
      return null;
  }
}

/**
 * The retry message when the question sets none. Flows that set a locale or a time zone get one that
 * says what is expected ("Please write a date, for example 14/07/2025."); flows from before Parley
 * read locales keep the general DEFAULT_RETRY_TEXT, unchanged. A date question with earliest or
 * latest dates always says which dates it takes, and a date read fine but out of them is not
 * called misunderstood.
 */
export function defaultRetryText(
  config: QuestionConfig,
  settings: ReadingSettings,
  refused: ParsedAnswer = { kind: 'invalid' },
): string {
  const locale = usableLocale(settings.locale);
  const dates = dateLimitsText(config, { now: settings.now ?? 0, timeZone: settings.timeZone, locale });
  if (dates !== null) {
    return refused.kind === 'invalid' && refused.outsideDates === true
      ? dates
      : `Sorry, I didn't understand that. ${dates}`;
  }
  if (settings.locale === undefined && settings.timeZone === undefined) return DEFAULT_RETRY_TEXT;
  const expected = expectation(config, locale, settings.defaultCountry);
  return expected === null ? DEFAULT_RETRY_TEXT : `Sorry, I didn't understand that. ${expected}`;
}
