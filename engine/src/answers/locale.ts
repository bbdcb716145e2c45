import { isKnownLocale } from '@parley/schemas';

/**
 * What a flow's locale says about how people write dates and numbers, read from the platform's
 * Intl data rather than kept in tables of our own.
 */

/** The locale's language subtag, lower case ("pt" of "pt-BR"). */
export function languageOf(locale: string): string {
  return locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
}

/**
 * The locale when Intl knows how to read it, else undefined. A malformed tag (which validation
 * reports as a warning on the flow) reads like a flow without a locale.
 */
export function usableLocale(locale: string | undefined): string | undefined {
  return locale !== undefined && isKnownLocale(locale) ? locale : undefined;
}

/** Whether people in this locale write the day before the month (14/07 rather than 07/14). */
export function dayFirst(locale: string): boolean {
  const order = new Intl.DateTimeFormat(locale)
    .formatToParts(new Date(Date.UTC(2025, 6, 14)))
    .map((part) => part.type)
    .filter((type) => type === 'day' || type === 'month');
  return order[0] === 'day';
}

/** The locale's decimal separator and digit-group separator ("," and "." in German). */
export function numberSeparators(locale: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  return {
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
  };
}

/** A `YYYY-MM-DD` date written the locale's way ("14/07/2025", "14.07.2025"); as is without a locale. */
export function formatDate(date: string, locale: string | undefined): string {
  if (locale === undefined) return date;
  return new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** A date written the locale's way, for examples in messages ("14/07/2025", "14.07.2025"). */
export function exampleDate(locale: string | undefined): string {
  return formatDate('2025-07-14', locale);
}

/** A number written the locale's way, for examples in messages ("1,500.5", "1.500,5"). */
export function exampleNumber(locale: string | undefined, integer: boolean): string {
  const value = integer ? 1500 : 1500.5;
  if (locale === undefined) return String(value);
  return new Intl.NumberFormat(locale).format(value);
}
