/**
 * Characters Postgres cannot store: NUL (refused in text and as `\u0000` in jsonb) and UTF-16
 * surrogates without their pair (refused as escapes in jsonb). Text from outside (contacts'
 * messages, HTTP responses) may carry them; one such character made a whole checkpoint unwritable.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this replaces
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The replacement character, as a UTF-8 decoder writes for bytes it cannot read. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/** `text` with every unstorable character replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}

/** A JSON-like value with every string in it (object keys included) made storable. */
export function storableJson<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[storableText(key)] = clean(item);
  return out;
}
