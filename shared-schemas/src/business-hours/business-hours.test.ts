import { describe, expect, it } from 'vitest';
import { businessHoursProblems, closedNotice } from './business-hours.js';
import type { BusinessHours } from './business-hours.schema.js';

const weekdays: BusinessHours = {
  timeZone: 'Europe/Lisbon',
  days: {
    mon: [{ from: '09:00', to: '17:00' }],
    tue: [{ from: '09:00', to: '17:00' }],
    wed: [
      { from: '09:00', to: '12:00' },
      { from: '14:00', to: '18:00' },
    ],
    thu: [{ from: '09:00', to: '17:00' }],
    fri: [{ from: '09:00', to: '17:00' }],
  },
};

describe('business hours', () => {
  it('accepts sensible hours', () => {
    expect(businessHoursProblems(weekdays)).toEqual([]);
  });

  it('names each problem in words, with where it is', () => {
    expect(
      businessHoursProblems({
        timeZone: 'Mars/Olympus',
        days: {
          mon: [{ from: '17:00', to: '09:00' }],
          tue: [
            { from: '13:00', to: '18:00' },
            { from: '09:00', to: '14:00' },
          ],
        },
      }),
    ).toEqual([
      { pointer: '/timeZone', message: expect.stringContaining('"Mars/Olympus" is not a time zone') },
      {
        pointer: '/days/mon/0/to',
        message: expect.stringContaining('Monday: 17:00 to 09:00 ends before it starts'),
      },
      {
        pointer: '/days/tue/0/from',
        message: expect.stringContaining('Tuesday: 13:00–18:00 overlaps 09:00–14:00'),
      },
    ]);
    expect(businessHoursProblems({ timeZone: 'UTC', days: {} })).toEqual([
      { pointer: '/days', message: expect.stringContaining('choose Always open') },
    ]);
  });

  it('says nothing within the hours, and when people are back outside them', () => {
    // Wednesday 2 December 2026, 12:30 in Lisbon (UTC+0 in winter): the lunch break.
    expect(closedNotice(weekdays, new Date('2026-12-02T10:00:00Z'))).toBeNull();
    expect(closedNotice(weekdays, new Date('2026-12-02T12:30:00Z'))).toBe(
      'Our team is away now. Someone will answer on Wednesday at 14:00.',
    );
    expect(closedNotice(weekdays, new Date('2026-12-02T19:00:00Z'))).toBe(
      'Our team is away now. Someone will answer on Thursday at 09:00.',
    );
    // Friday evening: back on Monday.
    const friday = new Date('2026-12-04T18:00:00Z');
    expect(closedNotice(weekdays, friday)).toBe(
      'Our team is away now. Someone will answer on Monday at 09:00.',
    );
    expect(closedNotice({ ...weekdays, closedText: 'We are closed. Back on {{ opens_at }}!' }, friday)).toBe(
      'We are closed. Back on Monday at 09:00!',
    );
  });

  it('reads the clock in the hours’ time zone', () => {
    const newYork: BusinessHours = {
      timeZone: 'America/New_York',
      days: { fri: [{ from: '09:00', to: '17:00' }] },
    };
    // 15:00 UTC on a Friday is 10:00 in New York: open.
    expect(closedNotice(newYork, new Date('2026-12-04T15:00:00Z'))).toBeNull();
    expect(closedNotice(newYork, new Date('2026-12-04T23:00:00Z'))).toBe(
      'Our team is away now. Someone will answer on Friday at 09:00.',
    );
    expect(closedNotice(newYork, new Date('2026-12-04T23:00:00Z'), 'de-DE')).toBe(
      'Our team is away now. Someone will answer on Freitag, 09:00.',
    );
  });
});
