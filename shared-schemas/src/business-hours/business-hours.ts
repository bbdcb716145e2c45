import { type BusinessHours, WEEKDAYS, type Weekday } from './business-hours.schema.js';

/** A problem with business hours, where it is (a JSON pointer under the business hours) and in words. */
export interface BusinessHoursProblem {
  pointer: string;
  message: string;
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** The default told to a contact whose hand-off starts outside the hours (the engine says the same). */
export const DEFAULT_CLOSED_TEXT = 'Our team is away now. Someone will answer on {{opens_at}}.';

const OPENS_AT = /\{\{\s*opens_at\s*\}\}/g;

/** Whether the runtime (Intl) knows this IANA time zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * What is wrong with business hours the schema already accepts, in words an admin acts on: an
 * unknown time zone, a stretch that ends before it starts, stretches of one day that overlap, no
 * open day at all. Empty when they can be saved.
 */
export function businessHoursProblems(hours: BusinessHours): BusinessHoursProblem[] {
  const problems: BusinessHoursProblem[] = [];
  if (!isKnownTimeZone(hours.timeZone))
    problems.push({
      pointer: '/timeZone',
      message: `"${hours.timeZone}" is not a time zone Parley knows. Pick one from the list, such as Europe/Lisbon.`,
    });
  let open = 0;
  for (const day of WEEKDAYS) {
    const spans = hours.days[day] ?? [];
    spans.forEach((span, index) => {
      if (span.from >= span.to)
        problems.push({
          pointer: `/days/${day}/${index}/to`,
          message: `${DAY_NAMES[day]}: ${span.from} to ${span.to} ends before it starts. The closing time must be later than the opening time.`,
        });
    });
    const sorted = spans
      .map((span, index) => ({ ...span, index }))
      .filter((span) => span.from < span.to)
      .sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1] as (typeof sorted)[number];
      const span = sorted[i] as (typeof sorted)[number];
      if (span.from < before.to)
        problems.push({
          pointer: `/days/${day}/${span.index}/from`,
          message: `${DAY_NAMES[day]}: ${span.from}–${span.to} overlaps ${before.from}–${before.to}. Join them into one, or make one end before the other starts.`,
        });
    }
    open += sorted.length;
  }
  if (open === 0)
    problems.push({
      pointer: '/days',
      message:
        'No day has opening times, so nobody would ever answer. Add the hours of at least one day, or choose Always open.',
    });
  return problems;
}

/** The weekday and the time of day ("HH:MM") of an instant in a time zone. */
function localNow(at: Date, timeZone: string): { day: Weekday; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: part('weekday').slice(0, 3).toLowerCase() as Weekday,
    time: `${part('hour')}:${part('minute')}`,
  };
}

/**
 * When people are next there, seen from `at`: null while open now; else the day (0 today, 1
 * tomorrow …) and time it opens. Null too when no day has hours (always open).
 */
export function nextOpening(
  hours: BusinessHours,
  at: Date,
): { inDays: number; day: Weekday; time: string } | null {
  const now = localNow(at, hours.timeZone);
  const today = WEEKDAYS.indexOf(now.day);
  const spansOf = (day: Weekday) =>
    [...(hours.days[day] ?? [])].filter((s) => s.from < s.to).sort((a, b) => a.from.localeCompare(b.from));
  if (spansOf(now.day).some((span) => span.from <= now.time && now.time < span.to)) return null;
  for (let inDays = 0; inDays <= 7; inDays++) {
    const day = WEEKDAYS[(today + inDays) % 7] as Weekday;
    const next = spansOf(day).find((span) => inDays > 0 || span.from > now.time);
    if (next !== undefined) return { inDays, day, time: next.from };
  }
  return null;
}

/** "Monday at 09:00": when people are back, as an English-speaking contact reads it. */
export function openingWords(opening: { day: Weekday; time: string }): string {
  return `${DAY_NAMES[opening.day]} at ${opening.time}`;
}

/**
 * What a contact whose hand-off starts at `at` reads, in English (null: within the hours, nothing
 * is said): the closed-hours text, or the default, with `{{opens_at}}` filled in. The settings
 * screen previews it with this.
 */
export function closedNotice(hours: BusinessHours, at: Date): string | null {
  const opening = nextOpening(hours, at);
  if (opening === null) return null;
  return (hours.closedText ?? DEFAULT_CLOSED_TEXT).replace(OPENS_AT, openingWords(opening));
}
