import { blankDocument, validateFlow } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { localeName, localeOptions, READING_LOCALES, readingLocaleFor, withReadingSettings } from './reading';

describe('reading settings of new flows', () => {
  it('picks the closest reading locale to the browser language', () => {
    expect(readingLocaleFor('en-GB')).toBe('en-GB');
    expect(readingLocaleFor('de')).toBe('de-DE');
    expect(readingLocaleFor('pt-br')).toBe('pt-BR');
    expect(readingLocaleFor('ko-KR')).toBe('en-US');
  });

  it('gives a blank flow a locale and time zone that validate, and keeps those a flow has', () => {
    const blank = withReadingSettings(blankDocument('New'), {
      language: 'fr-CA',
      timeZone: 'America/Toronto',
    });
    expect(blank.settings).toMatchObject({
      locale: 'fr-CA',
      timeZone: 'America/Toronto',
      sessionTimeoutMinutes: 30,
    });
    expect(validateFlow(blank).errors).toEqual([]);
    const kept = withReadingSettings(
      { ...blankDocument('Kept'), settings: { locale: 'en-GB' } },
      { language: 'de', timeZone: 'Europe/Berlin' },
    );
    expect(kept.settings?.locale).toBe('en-GB');
  });

  it('names every offered locale in words, and keeps an unlisted current one', () => {
    for (const tag of READING_LOCALES) expect(localeName(tag)).not.toBe(tag);
    expect(localeName('en-GB')).toBe('British English');
    expect(localeOptions('ga-IE')[0]).toEqual({ value: 'ga-IE', label: 'Irish (Ireland) · ga-IE' });
  });
});
