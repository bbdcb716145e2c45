import { isCalendarDate } from '@parley/schemas';
import * as chrono from 'chrono-node';
import { dayFirst, languageOf } from './locale.js';

/** How a flow reads dates: its locale and time zone (both optional) and the moment of the reply. */
export interface DateReading {
  locale?: string;
  timeZone?: string;
  now: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

type Parser = Pick<chrono.Chrono, 'parse'>;

/** chrono's parser per language; English has a month-first (US) and a day-first variant. */
const LANGUAGE_PARSERS: Record<string, Parser> = {
  de: chrono.de,
  es: chrono.es,
  fi: chrono.fi,
  fr: chrono.fr,
  it: chrono.it,
  ja: chrono.ja,
  nl: chrono.nl,
  pt: chrono.pt,
  ru: chrono.ru,
  sv: chrono.sv,
  uk: chrono.uk,
  zh: chrono.zh,
};

/**
 * The parsers to try, in order. The flow's language first, in the flow's day order; then English,
 * because people mix languages and an English-speaking admin tests in English. The other English
 * order last, so that "July 14" still reads as a date where day-first English takes "14" for a year.
 */
function parsersFor(locale: string): Parser[] {
  const english = dayFirst(locale) ? [chrono.en.GB, chrono.en] : [chrono.en, chrono.en.GB];
  const own = LANGUAGE_PARSERS[languageOf(locale)];
  return own === undefined ? english : [own, ...english];
}

/** The wall-clock time of `now` in `timeZone`, as a local Date, so chrono counts days as the contact does. */
function referenceIn(now: number, timeZone: string | undefined): Date {
  if (timeZone === undefined) return new Date(now);
  const parts: Record<string, number> = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(new Date(now))
      .map((part) => [part.type, Number(part.value)]),
  );
  const part = (type: string) => parts[type] ?? 0;
  return new Date(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
}

function isoOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The date a person wrote, as `YYYY-MM-DD`, or null. `YYYY-MM-DD` itself is always read. A flow
 * with a locale or a time zone also reads dates as people write them: "14/07/2025" (day or month
 * first by the locale), "July 14", "14. Juli", "tomorrow", "next Monday" — within a sentence too —
 * with days counted from `now` in the flow's time zone. A date without a day ("July") is refused.
 */
export function parseDate(text: string, reading: DateReading): string | null {
  const trimmed = text.trim();
  if (ISO_DATE.test(trimmed)) return isCalendarDate(trimmed) ? trimmed : null;
  if (reading.locale === undefined && reading.timeZone === undefined) return null;
  const reference = referenceIn(reading.now, reading.timeZone);
  for (const parser of parsersFor(reading.locale ?? 'en')) {
    for (const result of parser.parse(trimmed, reference, { forwardDate: true })) {
      const start = result.start;
      if (!start.isCertain('day') && !start.isCertain('weekday')) continue;
      const year = start.get('year');
      const month = start.get('month');
      const day = start.get('day');
      if (year === null || month === null || day === null) continue;
      return isoOf(year, month, day);
    }
  }
  return null;
}

/** Today's date in the flow's time zone (the process's when none is set), as `YYYY-MM-DD`. */
export function todayIn(now: number, timeZone: string | undefined): string {
  const reference = referenceIn(now, timeZone);
  return isoOf(reference.getFullYear(), reference.getMonth() + 1, reference.getDate());
}
