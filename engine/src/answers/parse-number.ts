import { numberSeparators } from './locale.js';

/** Digits with an optional minus and at most one decimal separator, `.` or `,`; no thousands separators. */
const NUMBER_TEXT = /^-?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

/** Spaces and apostrophes people put between digit groups ("1 500", "1'500"). */
const SPACE_GROUPS = /^(\d{1,3})((?:[\s\u00a0\u202f'’]\d{3})+)(?=$|[.,])/;

function finite(text: string): number | null {
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  // "-0" is 0: a stored -0 would not survive the state's JSON round trip.
  return value === 0 ? 0 : value;
}

function escaped(separator: string): string {
  return separator.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A number written the locale's way. Digit groups (3 digits, or Indian-style 2 before the last 3)
 * are read with the locale's group separator or spaces; the decimal separator is the locale's. The
 * other one of `.` and `,` written once is a decimal separator unless exactly three digits follow
 * it: in English "1,5" is 1.5 and "1,000" is 1000; in German "1.5" is 1.5 and "1.000" is 1000.
 */
function parseLocalNumber(text: string, locale: string): number | null {
  const { decimal, group: localeGroup } = numberSeparators(locale);
  const group = /\s/.test(localeGroup) ? ' ' : localeGroup;
  const other = decimal === '.' ? ',' : '.';
  const signed = text.replace(/^([+-])\s*/, (_match, sign: string) => (sign === '-' ? '-' : ''));
  const negative = signed.startsWith('-');
  let body = negative ? signed.slice(1) : signed;
  body = body.replace(SPACE_GROUPS, (_match, head: string, rest: string) => head + rest.replace(/\D/g, ''));
  const sign = negative ? '-' : '';
  if (/^\d+$/.test(body)) return finite(sign + body);
  const grouped = new RegExp(
    `^(\\d{1,3}(?:${escaped(group)}\\d{2,3})*${escaped(group)}\\d{3})(?:${escaped(decimal)}(\\d+))?$`,
  );
  const groupedMatch = grouped.exec(body);
  if (groupedMatch !== null && group !== decimal) {
    const whole = (groupedMatch[1] ?? '').split(group).join('');
    return finite(`${sign}${whole}${groupedMatch[2] === undefined ? '' : `.${groupedMatch[2]}`}`);
  }
  const single = new RegExp(`^(\\d*)[${escaped(decimal)}${escaped(other)}](\\d+)$`).exec(body);
  if (single === null) return null;
  const [, whole = '', fraction = ''] = single;
  const separator = body.charAt(whole.length);
  if (separator === other && whole !== '' && fraction.length === 3)
    return finite(`${sign}${whole}${fraction}`);
  return finite(`${sign}${whole === '' ? '0' : whole}.${fraction}`);
}

/**
 * The number a user typed, or null when it is not one. Without a locale: digits with one optional
 * decimal separator, `.` or `,` ("3,5" and "3.5" are 3.5). With one, also digit groups the locale's
 * way ("1,000", "1.000", "1 500").
 */
export function parseNumber(text: string, locale?: string): number | null {
  const trimmed = text.trim();
  if (locale !== undefined) return parseLocalNumber(trimmed, locale);
  if (!NUMBER_TEXT.test(trimmed)) return null;
  return finite(trimmed.replace(',', '.'));
}
