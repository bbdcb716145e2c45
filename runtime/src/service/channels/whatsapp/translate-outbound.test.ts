import { describe, expect, it } from 'vitest';
import {
  chatIdOf,
  numberedList,
  planOutbound,
  pollOptionNames,
  visibleTextOf,
} from './translate-outbound.js';

const plans = [
  { id: 'c1', label: 'Basic', value: 'basic' },
  { id: 'c2', label: 'Pro', value: 'pro' },
];

describe('chatIdOf', () => {
  it('turns E.164 phones into WhatsApp chat ids', () => {
    expect(chatIdOf('+4915112345678')).toBe('4915112345678@c.us');
  });
  it('sends to a @lid contact by its lid', () => {
    expect(chatIdOf('lid:123456789')).toBe('123456789@lid');
  });
  it('refuses what is not a phone', () => {
    expect(() => chatIdOf('alice')).toThrow(/not a phone/);
  });
});

describe('planOutbound', () => {
  it('sends plain text as is', () => {
    expect(planOutbound({ kind: 'message', text: 'Hi there' }, { multiple: false })).toEqual([
      { kind: 'text', text: 'Hi there' },
    ]);
  });

  it('renders choices as a numbered list below the prompt by default', () => {
    expect(
      planOutbound(
        { kind: 'prompt', text: 'Pick a plan', choices: plans, render: 'list' },
        { multiple: false },
      ),
    ).toEqual([{ kind: 'text', text: 'Pick a plan\n\n1. Basic\n2. Pro' }]);
    expect(numberedList('', plans)).toBe('1. Basic\n2. Pro');
  });

  it('renders a poll when asked: single choice allows one answer, multi-choice several', () => {
    const message = { kind: 'prompt' as const, text: 'Pick a plan', choices: plans, render: 'poll' as const };
    expect(planOutbound(message, { multiple: false })).toEqual([
      { kind: 'poll', name: 'Pick a plan', options: ['Basic', 'Pro'], allowMultiple: false },
    ]);
    expect(planOutbound(message, { multiple: true })[0]).toMatchObject({ kind: 'poll', allowMultiple: true });
  });

  it('falls back to a numbered list when WhatsApp cannot show the poll', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ id: `c${i}`, label: `Option ${i}`, value: `${i}` }));
    expect(
      planOutbound({ kind: 'prompt', text: 'Pick', choices: many, render: 'poll' }, { multiple: false })[0]
        ?.kind,
    ).toBe('text');
    const twins = [
      { id: 'a', label: 'Yes', value: 'y' },
      { id: 'b', label: ' yes ', value: 'Y' },
    ];
    expect(pollOptionNames(twins)).toBeNull();
    expect(
      planOutbound(
        { kind: 'prompt', text: 'x'.repeat(300), choices: plans, render: 'poll' },
        { multiple: false },
      )[0]?.kind,
    ).toBe('text');
  });

  it('never produces buttons or lists', () => {
    const kinds = planOutbound(
      { kind: 'prompt', text: 'Pick', choices: plans, render: 'poll' },
      { multiple: false },
    ).map((p) => p.kind);
    expect(kinds.every((kind) => ['text', 'poll', 'media'].includes(kind))).toBe(true);
  });

  it('sends media with its caption, the text as caption when there is none', () => {
    const media = { url: 'https://cdn.example/a.png', kind: 'image' as const };
    expect(
      planOutbound({ kind: 'message', text: '', media: { ...media, caption: 'Look' } }, { multiple: false }),
    ).toEqual([{ kind: 'media', url: media.url, mediaKind: 'image', caption: 'Look' }]);
    expect(planOutbound({ kind: 'message', text: 'Hello', media }, { multiple: false })).toEqual([
      { kind: 'media', url: media.url, mediaKind: 'image', caption: 'Hello' },
    ]);
    expect(
      planOutbound(
        { kind: 'message', text: 'Hello', media: { ...media, caption: 'Look' } },
        { multiple: false },
      ),
    ).toEqual([
      { kind: 'text', text: 'Hello' },
      { kind: 'media', url: media.url, mediaKind: 'image', caption: 'Look' },
    ]);
  });

  it('sends the words before an audio file (audio has no caption)', () => {
    const parts = planOutbound(
      { kind: 'message', text: 'Listen', media: { url: 'https://cdn.example/a.ogg', kind: 'audio' } },
      { multiple: false },
    );
    expect(parts).toEqual([
      { kind: 'text', text: 'Listen' },
      { kind: 'media', url: 'https://cdn.example/a.ogg', mediaKind: 'audio' },
    ]);
  });

  it('has nothing to send for an empty message', () => {
    expect(planOutbound({ kind: 'message', text: '' }, { multiple: false })).toEqual([]);
  });

  it('knows what a part shows in the chat', () => {
    expect(visibleTextOf({ kind: 'poll', name: 'Q', options: ['a', 'b'], allowMultiple: false })).toBe('Q');
    expect(visibleTextOf({ kind: 'media', url: 'u', mediaKind: 'image' })).toBe('');
  });
});
