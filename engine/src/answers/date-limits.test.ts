import type { QuestionConfig } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { readAnswer } from './read-answer.js';

function dateQuestion(limits: Pick<QuestionConfig, 'earliest' | 'latest'>): QuestionConfig {
  const answer = { type: 'string', format: 'date' } as QuestionConfig['answer'];
  return { prompt: 'Which day?', variable: 'day', answer, ...limits };
}

// 22:30 UTC on 14 July 2026 is 23:30 in London and already 15 July in Berlin.
const LATE_EVENING_UTC = Date.parse('2026-07-14T22:30:00Z');
const BERLIN = { locale: 'en-GB', timeZone: 'Europe/Berlin', now: LATE_EVENING_UTC };
const LONDON = { locale: 'en-GB', timeZone: 'Europe/London', now: LATE_EVENING_UTC };

describe('earliest and latest dates', () => {
  it('counts "today" in the flow\'s time zone', () => {
    const fromToday = dateQuestion({ earliest: 'today' });
    expect(readAnswer(fromToday, { text: '14/07/2026' }, LONDON)).toEqual({ ok: true, value: '2026-07-14' });
    expect(readAnswer(fromToday, { text: '14/07/2026' }, BERLIN)).toEqual({
      ok: false,
      message: 'Please choose a date from today on, for example 15/07/2026.',
    });
    expect(readAnswer(fromToday, { text: 'tomorrow' }, BERLIN)).toEqual({ ok: true, value: '2026-07-16' });
  });

  it('takes days from today, and names tomorrow and yesterday', () => {
    const nextWeek = dateQuestion({ earliest: 'today+1', latest: 'today+7' });
    expect(readAnswer(nextWeek, { text: '2026-07-15' }, LONDON)).toEqual({ ok: true, value: '2026-07-15' });
    expect(readAnswer(nextWeek, { text: '2026-07-21' }, LONDON)).toEqual({ ok: true, value: '2026-07-21' });
    const refused = {
      ok: false,
      message: 'Please choose a date from tomorrow to 21/07/2026, for example 15/07/2026.',
    };
    expect(readAnswer(nextWeek, { text: '2026-07-14' }, LONDON)).toEqual(refused);
    expect(readAnswer(nextWeek, { text: '2026-07-22' }, LONDON)).toEqual(refused);
    const past = dateQuestion({ latest: 'today-1' });
    expect(readAnswer(past, { text: '2026-07-14' }, LONDON)).toEqual({
      ok: false,
      message: 'Please choose a date up to yesterday, for example 13/07/2026.',
    });
  });

  it("keeps fixed dates, written the locale's way in the message", () => {
    const summer = dateQuestion({ earliest: '2026-07-01', latest: '2026-08-31' });
    const us = { locale: 'en-US', timeZone: 'America/New_York', now: LATE_EVENING_UTC };
    expect(readAnswer(summer, { text: 'August 31' }, us)).toEqual({ ok: true, value: '2026-08-31' });
    expect(readAnswer(summer, { text: '2026-09-01' }, us)).toEqual({
      ok: false,
      message: 'Please choose a date from 07/01/2026 to 08/31/2026, for example 07/01/2026.',
    });
  });

  it('says it did not understand a reply that is no date, and which dates to choose', () => {
    expect(readAnswer(dateQuestion({ earliest: 'today' }), { text: 'soon' }, LONDON)).toEqual({
      ok: false,
      message: "Sorry, I didn't understand that. Please choose a date from today on, for example 14/07/2026.",
    });
  });

  it('works without a locale or time zone, with dates written year-month-day', () => {
    const question = dateQuestion({ earliest: '2026-07-14' });
    const reading = { now: LATE_EVENING_UTC };
    expect(readAnswer(question, { text: '2026-07-14' }, reading)).toEqual({ ok: true, value: '2026-07-14' });
    expect(readAnswer(question, { text: '2026-07-13' }, reading)).toEqual({
      ok: false,
      message: 'Please choose a date from 2026-07-14 on, for example 2026-07-14.',
    });
  });

  it("leaves the question's own retry message alone", () => {
    const question = {
      ...dateQuestion({ earliest: 'today' }),
      retry: { message: 'A day from now on, please.' },
    };
    expect(readAnswer(question, { text: '2020-01-01' }, LONDON)).toEqual({
      ok: false,
      message: 'A day from now on, please.',
    });
  });

  it('ignores limits on a question whose answer is not a date', () => {
    const text: QuestionConfig = {
      prompt: 'Name?',
      variable: 'name',
      answer: { type: 'string' },
      earliest: 'today',
    };
    expect(readAnswer(text, { text: '2020-01-01' }, LONDON)).toEqual({ ok: true, value: '2020-01-01' });
  });
});
