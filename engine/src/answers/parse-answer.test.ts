import { compileAnswerSchema, type QuestionConfig } from '@parley/schemas';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { type AnswerReading, type ParsedAnswer, parseAnswer, type Reply } from './parse-answer.js';

function question(answer: Record<string, unknown>, extra: Partial<QuestionConfig> = {}): QuestionConfig {
  return { prompt: 'Q?', variable: 'v', answer: answer as QuestionConfig['answer'], ...extra };
}

function validatorOf(config: QuestionConfig): ValidateFunction {
  const compiled = compileAnswerSchema(config.answer);
  if (!compiled.ok) throw new Error(`bad answer schema in test: ${compiled.message}`);
  return compiled.validate;
}

function parse(config: QuestionConfig, reply: Reply | string, defaultCountry?: string): ParsedAnswer {
  const input = typeof reply === 'string' ? { text: reply } : reply;
  return parseAnswer(config, input, validatorOf(config), { defaultCountry });
}

const valid = (value: unknown) => ({ kind: 'valid', value });
const INVALID = { kind: 'invalid' };

const media = { url: 'https://media.example/1', mimeType: 'image/jpeg', name: 'receipt.jpg', size: 2048 };
const location = { lat: 38.7223, lng: -9.1393, name: 'Lisbon' };

describe('parseAnswer: text answers', () => {
  it('trims a string answer, then checks it against the schema', () => {
    const config = question({ type: 'string', minLength: 2 });
    expect(parse(config, '  Bob ')).toEqual(valid('Bob'));
    expect(parse(config, ' B ')).toEqual(INVALID);
  });

  it('stores numbers as numbers, with a decimal point or comma', () => {
    const config = question({ type: 'number', minimum: 0 });
    expect(parse(config, '3,5')).toEqual(valid(3.5));
    expect(parse(config, ' 3.5 ')).toEqual(valid(3.5));
    expect(parse(config, '-1')).toEqual(INVALID);
    expect(parse(config, 'three')).toEqual(INVALID);
  });

  it('accepts negative numbers when the schema does', () => {
    expect(parse(question({ type: 'number' }), '-3,5')).toEqual(valid(-3.5));
  });

  it('refuses a fraction for an integer answer', () => {
    const config = question({ type: 'integer' });
    expect(parse(config, '2.5')).toEqual(INVALID);
    expect(parse(config, '2,5')).toEqual(INVALID);
    expect(parse(config, '2')).toEqual(valid(2));
    expect(parse(config, '-7')).toEqual(valid(-7));
  });

  it('stores an email as typed, trimmed, and checks the format in full', () => {
    const config = question({ type: 'string', format: 'email' });
    expect(parse(config, '  Ana@Example.com ')).toEqual(valid('Ana@Example.com'));
    expect(parse(config, 'ana@')).toEqual(INVALID);
    expect(parse(config, 'ana example.com')).toEqual(INVALID);
  });

  it('stores a phone in E.164 and needs a country code unless there is a default country', () => {
    const config = question({ type: 'string', format: 'phone' });
    expect(parse(config, '+351 912 345 678')).toEqual(valid('+351912345678'));
    expect(parse(config, '00351 912 345 678')).toEqual(valid('+351912345678'));
    expect(parse(config, '912 345 678')).toEqual(INVALID);
    expect(parse(config, '912 345 678', 'PT')).toEqual(valid('+351912345678'));
    expect(parse(config, '+1 555', 'PT')).toEqual(INVALID);
  });

  it('takes only real calendar dates written YYYY-MM-DD, stored as written', () => {
    const config = question({ type: 'string', format: 'date' });
    expect(parse(config, ' 2024-02-29 ')).toEqual(valid('2024-02-29'));
    expect(parse(config, '2023-02-29')).toEqual(INVALID);
    expect(parse(config, '2023-02-30')).toEqual(INVALID);
    expect(parse(config, '2023-13-01')).toEqual(INVALID);
    expect(parse(config, '01/02/2023')).toEqual(INVALID);
  });

  it('is invalid when a text question gets media, a location or nothing', () => {
    const config = question({ type: 'string' });
    expect(parse(config, { media })).toEqual(INVALID);
    expect(parse(config, { location })).toEqual(INVALID);
    expect(parse(config, {})).toEqual(INVALID);
  });
});

describe('parseAnswer: choices', () => {
  const single = question(
    { type: 'string', enum: ['basic', 'pro'] },
    {
      choices: [
        { id: 'c1', label: 'Basic', value: 'basic' },
        { id: 'c2', label: 'Pro', value: 'pro' },
      ],
    },
  );
  const multi = question(
    { type: 'array', items: { type: 'string', enum: ['cheese', 'ham', 'olives'] }, minItems: 1 },
    {
      choices: [
        { id: 'c1', label: 'Cheese', value: 'cheese' },
        { id: 'c2', label: 'Ham', value: 'ham' },
        { id: 'c3', label: 'Olives', value: 'olives' },
      ],
    },
  );

  it('stores the value of a single choice and says which choice it was', () => {
    expect(parse(single, 'PRO')).toEqual({
      kind: 'valid',
      value: 'pro',
      choice: { id: 'c2', label: 'Pro', value: 'pro' },
    });
    expect(parse(single, '1')).toMatchObject({ kind: 'valid', value: 'basic', choice: { id: 'c1' } });
    expect(parse(single, 'premium')).toEqual(INVALID);
  });

  it('stores a multi-choice answer as the values in the order given, without duplicates', () => {
    expect(parse(multi, '3 1 3')).toEqual(valid(['olives', 'cheese']));
    expect(parse(multi, 'ham, Olives')).toEqual(valid(['ham', 'olives']));
    expect(parse(multi, 'ham pineapple')).toEqual(INVALID);
  });

  it('reads a poll vote (choice ids) for a single choice', () => {
    expect(parse(single, { choiceIds: ['c2'] })).toMatchObject({
      kind: 'valid',
      value: 'pro',
      choice: { id: 'c2' },
    });
    expect(parse(single, { choiceIds: ['nope'] })).toEqual(INVALID);
    expect(parse(single, { choiceIds: [] })).toEqual(INVALID);
  });

  it('reads a poll vote for a multi-choice in the order given, without duplicates', () => {
    expect(parse(multi, { choiceIds: ['c3', 'c1'] })).toEqual(valid(['olives', 'cheese']));
    expect(parse(multi, { choiceIds: ['c2', 'c2', 'c1'] })).toEqual(valid(['ham', 'cheese']));
    expect(parse(multi, { choiceIds: [] })).toEqual(INVALID);
  });

  it('is invalid when a choice question gets media', () => {
    expect(parse(single, { media })).toEqual(INVALID);
    expect(parse(multi, { media })).toEqual(INVALID);
  });
});

describe('parseAnswer: media and location', () => {
  const photo = question(
    {
      type: 'object',
      required: ['url', 'mimeType'],
      properties: { mimeType: { type: 'string', pattern: '^image/' } },
    },
    { accept: 'media' },
  );
  const place = question({ type: 'object', required: ['lat', 'lng'] }, { accept: 'location' });

  it('stores inbound media as { url, mimeType, name?, size }', () => {
    const parsed = parse(photo, { media });
    expect(parsed).toEqual(valid(media));
    // A copy: the stored answer does not share the event's object.
    expect((parsed as { value: unknown }).value).not.toBe(media);
  });

  it('checks the media object against the answer schema', () => {
    expect(parse(photo, { media: { ...media, mimeType: 'application/pdf' } })).toEqual(INVALID);
  });

  it('stores a shared location as { lat, lng, name? }', () => {
    expect(parse(place, { location })).toEqual(valid(location));
    expect(parse(place, { location: { lat: 1, lng: 2 } })).toEqual(valid({ lat: 1, lng: 2 }));
  });

  it('treats a text reply to a media or location question as invalid', () => {
    expect(parse(photo, 'here it is')).toEqual(INVALID);
    expect(parse(place, 'Lisbon')).toEqual(INVALID);
    expect(parse(photo, { location })).toEqual(INVALID);
    expect(parse(place, { media })).toEqual(INVALID);
  });
});

describe('parseAnswer: skip', () => {
  it('accepts "skip" in any case on a skippable question', () => {
    const config = question({ type: 'integer' }, { skippable: true });
    expect(parse(config, 'skip')).toEqual({ kind: 'skip' });
    expect(parse(config, '  SKIP ')).toEqual({ kind: 'skip' });
    expect(parse(config, 'Skip')).toEqual({ kind: 'skip' });
    expect(parse(config, '4')).toEqual(valid(4));
    expect(parse(config, 'skip it')).toEqual(INVALID);
  });

  it('lets media and location questions be skipped with a text', () => {
    expect(parse(question({ type: 'object' }, { accept: 'media', skippable: true }), 'skip')).toEqual({
      kind: 'skip',
    });
    expect(parse(question({ type: 'object' }, { accept: 'location', skippable: true }), 'SKIP')).toEqual({
      kind: 'skip',
    });
  });

  it('treats "skip" as an ordinary reply when the question is not skippable', () => {
    expect(parse(question({ type: 'string' }), 'skip')).toEqual(valid('skip'));
    expect(parse(question({ type: 'integer' }), 'skip')).toEqual(INVALID);
    expect(parse(question({ type: 'integer' }, { skippable: false }), 'skip')).toEqual(INVALID);
  });
});

describe('parseAnswer with the flow locale and time zone', () => {
  const reading: AnswerReading = {
    locale: 'en-GB',
    timeZone: 'Europe/London',
    now: Date.UTC(2025, 6, 9, 10),
  };
  const read = (config: QuestionConfig, text: string) =>
    parseAnswer(config, { text }, validatorOf(config), reading);

  it('stores a date written as people write it as YYYY-MM-DD', () => {
    const config = question({ type: 'string', format: 'date' });
    expect(read(config, '14/07/2025')).toEqual(valid('2025-07-14'));
    expect(read(config, 'next Monday')).toEqual(valid('2025-07-14'));
    expect(read(config, 'whenever')).toEqual(INVALID);
  });

  it('reads digit groups by the locale', () => {
    expect(read(question({ type: 'number' }), '1,000')).toEqual(valid(1000));
    expect(read(question({ type: 'integer' }), '1 500')).toEqual(valid(1500));
    expect(read(question({ type: 'number' }), '1,5')).toEqual(valid(1.5));
  });

  it('treats an unusable locale as none', () => {
    const config = question({ type: 'number' });
    expect(parseAnswer(config, { text: '1,000' }, validatorOf(config), { locale: 'not a locale!' })).toEqual(
      valid(1),
    );
  });
});
