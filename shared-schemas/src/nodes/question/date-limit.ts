import { Type } from '@sinclair/typebox';

/**
 * The earliest or latest date a date question accepts: `today`, a number of days from today
 * (`today+7`, `today-1`), or a fixed date (`2026-07-14`). Kept as one short text so it reads the
 * same in the file and in the settings form.
 */
export const DateLimit = Type.String({
  pattern: '^(today([+-][0-9]{1,4})?|[0-9]{4}-[0-9]{2}-[0-9]{2})$',
  'x-message': 'Write today, today+7 (a week from today), today-1 (yesterday) or a date such as 2026-07-14.',
});

/** A date limit read: a fixed date, or a number of days from the day of the reply. */
export type DateLimitValue = { kind: 'fixed'; date: string } | { kind: 'relative'; days: number };

export function parseDateLimit(limit: string): DateLimitValue {
  if (!limit.startsWith('today')) return { kind: 'fixed', date: limit };
  const offset = limit.slice('today'.length);
  return { kind: 'relative', days: offset === '' ? 0 : Number(offset) };
}

/** A real calendar date written `YYYY-MM-DD` (no 31 February). */
export function isCalendarDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `YYYY-MM-DD` moved by a number of days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The date a limit stands for on the day `today` (`YYYY-MM-DD`). */
export function resolveDateLimit(limit: string, today: string): string {
  const parsed = parseDateLimit(limit);
  return parsed.kind === 'fixed' ? parsed.date : addDays(today, parsed.days);
}
