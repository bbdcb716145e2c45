import { type BusinessHours, WEEKDAYS, type Weekday } from './business-hours.schema.js';
import { closedText, describeOpening, openingAt } from './opening.js';

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

/**
 * What a contact whose hand-off starts at `at` reads (null: within the hours, nothing is said): the
 * closed-hours text, or the default, with `{{opens_at}}` filled in as the engine fills it. The
 * settings screen previews it with this.
 */
export function closedNotice(hours: BusinessHours, at: Date, locale?: string): string | null {
  const opening = openingAt(hours, at.getTime());
  if (opening.open) return null;
  return closedText(
    hours,
    opening.opensAt === null ? null : describeOpening(opening.opensAt, hours.timeZone, locale),
  );
}
