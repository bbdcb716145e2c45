import type { FlowDocument } from '@parley/schemas';

/** Languages and regions whose dates and numbers Parley reads well (chrono-node covers the languages). */
export const READING_LOCALES = [
  'en-US',
  'en-GB',
  'en-AU',
  'en-CA',
  'en-IN',
  'en-NG',
  'en-ZA',
  'de-DE',
  'de-AT',
  'de-CH',
  'es-ES',
  'es-AR',
  'es-CO',
  'es-MX',
  'fr-FR',
  'fr-BE',
  'fr-CA',
  'it-IT',
  'nl-NL',
  'nl-BE',
  'pt-BR',
  'pt-PT',
  'sv-SE',
  'fi-FI',
  'ru-RU',
  'uk-UA',
  'ja-JP',
  'zh-CN',
] as const;

/** "British English", "German (Switzerland)": a locale tag in words. */
export function localeName(tag: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(tag) ?? tag;
  } catch (error) {
    if (error instanceof RangeError) return tag;
    throw error;
  }
}

/** The locale options for a flow, with the flow's own value kept when it is not in the list. */
export function localeOptions(current: string | undefined): { value: string; label: string }[] {
  const tags: string[] = [...READING_LOCALES];
  if (current !== undefined && !tags.includes(current)) tags.unshift(current);
  return tags.map((tag) => ({ value: tag, label: `${localeName(tag)} · ${tag}` }));
}

/** Every IANA time zone the browser knows, for a searchable list. */
export function timeZoneNames(): string[] {
  return Intl.supportedValuesOf('timeZone');
}

/** The closest reading locale to a browser language ("de" → "de-DE", "en-GB" → "en-GB"). */
export function readingLocaleFor(language: string): string {
  const exact = READING_LOCALES.find((tag) => tag.toLowerCase() === language.toLowerCase());
  if (exact !== undefined) return exact;
  const base = language.split('-')[0]?.toLowerCase();
  return READING_LOCALES.find((tag) => tag.startsWith(`${base}-`)) ?? 'en-US';
}

/**
 * A new flow reads dates and numbers the way its author's browser does; the author changes both
 * in the flow settings. Only new flows get them: a stored flow without them reads as it always did.
 */
export function withReadingSettings(
  document: FlowDocument,
  reading: { language: string; timeZone: string },
): FlowDocument {
  return {
    ...document,
    settings: {
      ...document.settings,
      locale: document.settings?.locale ?? readingLocaleFor(reading.language),
      timeZone: document.settings?.timeZone ?? reading.timeZone,
    },
  };
}
