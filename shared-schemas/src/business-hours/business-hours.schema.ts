import { type Static, Type } from '@sinclair/typebox';

/** A time of day, 24-hour clock: "09:00", "17:30". */
const TimeOfDay = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$',
  'x-message': 'Must be a time on the 24-hour clock, such as 09:00 or 17:30.',
});

/** One stretch of a day when people answer, "from" before "to". */
export const OpeningSpan = Type.Object({ from: TimeOfDay, to: TimeOfDay }, { additionalProperties: false });
export type OpeningSpan = Static<typeof OpeningSpan>;

const Day = Type.Optional(Type.Array(OpeningSpan, { maxItems: 4 }));

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * When a workspace's people answer hand-offs. A day that is missing or empty is closed. Outside
 * these hours a hand-off tells the contact when someone will answer (`closedText`, else a default).
 */
export const BusinessHours = Type.Object(
  {
    /** An IANA time zone, e.g. "Europe/Lisbon". */
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    days: Type.Object(
      {
        mon: Day,
        tue: Day,
        wed: Day,
        thu: Day,
        fri: Day,
        sat: Day,
        sun: Day,
      },
      { additionalProperties: false },
    ),
    /** What the contact is told outside the hours; `{{opens_at}}` reads when people are back. */
    closedText: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type BusinessHours = Static<typeof BusinessHours>;
