import { type BusinessHours, WEEKDAYS, type Weekday } from './business-hours.schema.js';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/** Whether people answer at a moment, and if not, when they are next back (null: no open day). */
export type Opening = { open: true } | { open: false; opensAt: number | null };

interface LocalDay {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const SHORT_WEEKDAYS: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** Formatters are slow to make and a workspace has one time zone: one per zone, kept. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localDay(at: number, timeZone: string): LocalDay {
  const parts = formatterOf(timeZone).formatToParts(at);
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    weekday: SHORT_WEEKDAYS[part('weekday')] ?? 'mon',
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/** How far the zone's clock is ahead of UTC at a moment (negative west of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const local = localDay(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day) + local.minutes * MINUTE;
  return asUtc - Math.floor(at / MINUTE) * MINUTE;
}

/** The moment a local date and time of the zone happens (twice corrected, for DST changes). */
function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): number {
  const asUtc = Date.UTC(year, month - 1, day) + minutes * MINUTE;
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':');
  return Number(hours) * 60 + Number(minutes);
};

/** A day's opening spans in minutes, in order; a span that does not end after it starts is ignored. */
function spansOf(hours: BusinessHours, weekday: Weekday): { from: number; to: number }[] {
  return (hours.days[weekday] ?? [])
    .map((span) => ({ from: minutesOf(span.from), to: minutesOf(span.to) }))
    .filter((span) => span.from < span.to && span.from < DAY_MINUTES)
    .sort((a, b) => a.from - b.from);
}

/**
 * Whether the business hours are open at `now`, else when they next open (looked for up to a week
 * ahead). Throws a RangeError for a time zone Intl does not know.
 */
export function openingAt(hours: BusinessHours, now: number): Opening {
  const today = localDay(now, hours.timeZone);
  const spans = spansOf(hours, today.weekday);
  if (spans.some((span) => span.from <= today.minutes && today.minutes < span.to)) return { open: true };
  const start = WEEKDAYS.indexOf(today.weekday);
  for (let ahead = 0; ahead <= 7; ahead++) {
    const weekday = WEEKDAYS[(start + ahead) % 7] as Weekday;
    const next = spansOf(hours, weekday).find((span) => ahead > 0 || span.from > today.minutes);
    if (next === undefined) continue;
    // Calendar arithmetic in UTC, then the local time of that date in the zone.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + ahead));
    return {
      open: false,
      opensAt: zonedTime(
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        next.from,
        hours.timeZone,
      ),
    };
  }
  return { open: false, opensAt: null };
}

/**
 * When people are back, as the contact reads it: "Monday at 09:00" in English, the locale's own
 * weekday and time otherwise ("Montag, 09:00"), always in the business hours' time zone.
 */
export function describeOpening(at: number, timeZone: string, locale: string | undefined): string {
  const language = locale ?? 'en';
  if (language === 'en' || language.startsWith('en-')) {
    const weekday = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone }).format(at);
    const time = new Intl.DateTimeFormat(language, {
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    }).format(at);
    return `${weekday} at ${time}`;
  }
  return new Intl.DateTimeFormat(language, {
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(at);
}

/** The default told to a contact whose hand-off starts outside the hours. */
export const DEFAULT_CLOSED_TEXT = 'Our team is away now. Someone will answer on {{opens_at}}.';
export const DEFAULT_CLOSED_NO_OPENING_TEXT =
  'Our team is away now. Someone will answer as soon as possible.';

const OPENS_AT = /\{\{\s*opens_at\s*\}\}/g;

/** What a contact is told when a hand-off starts outside the hours (`opensAt` null: no open day at all). */
export function closedText(hours: BusinessHours, opensAt: string | null): string {
  const text = hours.closedText;
  if (opensAt !== null) return (text ?? DEFAULT_CLOSED_TEXT).replace(OPENS_AT, opensAt);
  // A text that names the opening cannot be said without one.
  return text !== undefined && text.replace(OPENS_AT, '') === text ? text : DEFAULT_CLOSED_NO_OPENING_TEXT;
}
