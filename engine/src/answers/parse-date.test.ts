import { describe, expect, it } from 'vitest';
import { parseDate, todayIn } from './parse-date.js';

/** Wednesday 9 July 2025, 10:00 UTC. */
const NOW = Date.UTC(2025, 6, 9, 10, 0);

describe('parseDate', () => {
  it('reads only YYYY-MM-DD, as before, when the flow sets neither locale nor time zone', () => {
    expect(parseDate('2025-07-14', { now: NOW })).toBe('2025-07-14');
    expect(parseDate('14/07/2025', { now: NOW })).toBeNull();
    expect(parseDate('next Monday', { now: NOW })).toBeNull();
    expect(parseDate('2025-02-30', { now: NOW })).toBeNull();
  });

  it.each([
    ['en-GB', '14/07/2025', '2025-07-14'],
    ['en-GB', '4/7/2025', '2025-07-04'],
    ['en-US', '4/7/2025', '2025-04-07'],
    ['en-US', '07/14/2025', '2025-07-14'],
    ['en-GB', 'July 14', '2025-07-14'],
    ['en-GB', '14 July', '2025-07-14'],
    ['en-US', 'July 14', '2025-07-14'],
    ['en-US', 'July 14, 2026', '2026-07-14'],
    ['en-GB', 'tomorrow', '2025-07-10'],
    ['en-GB', 'next Monday', '2025-07-14'],
    ['en-GB', "I'm Ana, can I come next Monday for a cleaning?", '2025-07-14'],
    ['en-US', '2025-07-14', '2025-07-14'],
    ['de-DE', '14.07.2025', '2025-07-14'],
    ['de-DE', '14. Juli', '2025-07-14'],
    ['de-DE', 'morgen', '2025-07-10'],
    ['de-DE', 'nächsten Montag', '2025-07-14'],
    ['de-DE', 'next Monday', '2025-07-14'],
    ['fr-FR', 'demain', '2025-07-10'],
    ['fr-FR', 'lundi prochain', '2025-07-14'],
    ['fr-FR', '14 juillet 2025', '2025-07-14'],
    ['pt-BR', 'amanhã', '2025-07-10'],
    ['pt-BR', '14/07/2025', '2025-07-14'],
    ['es-MX', '14 de julio', '2025-07-14'],
  ])('%s reads %j as %s', (locale, text, expected) => {
    expect(parseDate(text, { locale, now: NOW })).toBe(expected);
  });

  it.each([
    ['en-GB', 'July'],
    ['en-GB', '14'],
    ['en-GB', 'hello'],
    ['en-GB', '31/02/2025'],
    ['en-GB', ''],
  ])('%s refuses %j', (locale, text) => {
    expect(parseDate(text, { locale, now: NOW })).toBeNull();
  });

  it('counts relative days in the flow time zone', () => {
    // 23:30 UTC on 9 July is already 10 July in Tokyo and still 9 July in Los Angeles.
    const lateEvening = Date.UTC(2025, 6, 9, 23, 30);
    expect(parseDate('tomorrow', { locale: 'en-GB', timeZone: 'Asia/Tokyo', now: lateEvening })).toBe(
      '2025-07-11',
    );
    expect(
      parseDate('tomorrow', { locale: 'en-US', timeZone: 'America/Los_Angeles', now: lateEvening }),
    ).toBe('2025-07-10');
    expect(todayIn(lateEvening, 'Asia/Tokyo')).toBe('2025-07-10');
  });

  it('reads people-written dates when only a time zone is set, in English', () => {
    expect(parseDate('tomorrow', { timeZone: 'Europe/Berlin', now: NOW })).toBe('2025-07-10');
  });
});
