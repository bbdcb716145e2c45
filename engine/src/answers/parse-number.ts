/** Digits with an optional minus and at most one decimal separator, `.` or `,`; no thousands separators. */
const NUMBER_TEXT = /^-?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;

/** The number a user typed ("3,5" and "3.5" are 3.5), or null when it is not one. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!NUMBER_TEXT.test(trimmed)) return null;
  const value = Number(trimmed.replace(',', '.'));
  if (!Number.isFinite(value)) return null;
  // "-0" is 0: a stored -0 would not survive the state's JSON round trip.
  return value === 0 ? 0 : value;
}
