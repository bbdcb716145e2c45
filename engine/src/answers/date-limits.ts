import { isDateQuestion, parseDateLimit, type QuestionConfig, resolveDateLimit } from '@parley/schemas';
import { formatDate } from './locale.js';
import { todayIn } from './parse-date.js';

/** When and where a reply is read: "today" is the day of `now` in `timeZone`. */
export interface DayOfReply {
  now: number;
  timeZone?: string;
  locale?: string;
}

/** The dates a question accepts on the day of the reply (`YYYY-MM-DD`), or null when it sets no limit. */
function rangeOf(
  config: QuestionConfig,
  day: DayOfReply,
): { earliest: string | undefined; latest: string | undefined } | null {
  const { earliest, latest } = config;
  if (!isDateQuestion(config) || (earliest === undefined && latest === undefined)) return null;
  const today = todayIn(day.now, day.timeZone);
  return {
    earliest: earliest === undefined ? undefined : resolveDateLimit(earliest, today),
    latest: latest === undefined ? undefined : resolveDateLimit(latest, today),
  };
}

/** Whether a date (`YYYY-MM-DD`) is before the question's earliest date or after its latest. */
export function isOutsideDateLimits(config: QuestionConfig, date: string, day: DayOfReply): boolean {
  const range = rangeOf(config, day);
  if (range === null) return false;
  return (
    (range.earliest !== undefined && date < range.earliest) ||
    (range.latest !== undefined && date > range.latest)
  );
}

/** A limit in words: today, tomorrow and yesterday by name, any other day as a date. */
function limitInWords(limit: string, resolved: string, locale: string | undefined): string {
  const parsed = parseDateLimit(limit);
  if (parsed.kind === 'relative' && parsed.days === 0) return 'today';
  if (parsed.kind === 'relative' && parsed.days === 1) return 'tomorrow';
  if (parsed.kind === 'relative' && parsed.days === -1) return 'yesterday';
  return formatDate(resolved, locale);
}

/**
 * What to choose, for a question with date limits ("Please choose a date from today on, for
 * example 14/07/2026."), or null without limits. The example is the first date accepted.
 */
export function dateLimitsText(config: QuestionConfig, day: DayOfReply): string | null {
  const range = rangeOf(config, day);
  if (range === null) return null;
  const from =
    config.earliest === undefined || range.earliest === undefined
      ? undefined
      : limitInWords(config.earliest, range.earliest, day.locale);
  const to =
    config.latest === undefined || range.latest === undefined
      ? undefined
      : limitInWords(config.latest, range.latest, day.locale);
  const span =
    from !== undefined && to !== undefined
      ? `from ${from} to ${to}`
      : from !== undefined
        ? `from ${from} on`
        : `up to ${to}`;
  const example = formatDate((range.earliest ?? range.latest) as string, day.locale);
  return `Please choose a date ${span}, for example ${example}.`;
}
