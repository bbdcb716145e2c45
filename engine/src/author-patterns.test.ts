import { describe, expect, it } from 'vitest';
import { compileFlow } from './compile-flow.js';
import { type ContactState, initialState } from './state.js';
import { step } from './step.js';

// With a backtracking engine this pattern takes hours on EVIL: every split of the a's is tried.
const NAME_PATTERN = '^([a-zA-Z]+ ?)+$';
const EVIL = `${'a'.repeat(39)}!`;
const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);

const flow = compileFlow({
  schemaVersion: 1,
  name: 'Names',
  triggers: [
    { id: 't1', type: 'keyword', match: 'regex', keywords: [NAME_PATTERN], target: 'greet' },
    { id: 't2', type: 'any_message', target: 'name' },
  ],
  nodes: [
    { id: 'greet', type: 'end', config: { text: 'Hi by name!' } },
    {
      id: 'name',
      type: 'question',
      config: {
        prompt: 'Your name?',
        variable: 'name',
        answer: { type: 'string', pattern: NAME_PATTERN },
        retry: { message: 'Letters only, please.' },
      },
    },
    {
      id: 'nick',
      type: 'question',
      config: { prompt: 'Your nickname?', variable: 'nick', answer: { type: 'string' } },
    },
    {
      id: 'check',
      type: 'condition',
      config: { branches: [{ id: 'plain', when: { var: 'nick', op: 'matches', value: NAME_PATTERN } }] },
    },
    { id: 'plain', type: 'end', config: { text: 'Plain nickname.' } },
    { id: 'other', type: 'end', config: { text: 'Fancy nickname.' } },
  ],
  edges: [
    { id: 'e1', source: 'name', sourceHandle: 'next', target: 'nick' },
    { id: 'e2', source: 'nick', sourceHandle: 'next', target: 'check' },
    { id: 'e3', source: 'check', sourceHandle: 'plain', target: 'plain' },
    { id: 'e4', source: 'check', sourceHandle: 'else', target: 'other' },
  ],
});

/** Sends each text in turn; returns the replies to each. */
function converse(texts: string[]): string[][] {
  let state: ContactState = initialState({ name: 'Ana', phone: '+15550100001' });
  return texts.map((text, index) => {
    const result = step(flow, state, { type: 'message', id: `m${index}`, text }, T0 + index * 1000);
    state = result.state;
    return result.outbound.map((reply) => reply.text);
  });
}

describe('author patterns in the engine (RE2)', () => {
  it('a regex trigger matches by RE2', () => {
    expect(converse(['  Ana Lima '])).toEqual([['Hi by name!']]);
  });

  it('a pathological trigger, answer pattern and matches condition all complete on a 40-character answer', () => {
    expect(converse([EVIL, EVIL, 'Ana Lima', EVIL])).toEqual([
      ['Your name?'],
      ['Letters only, please.'],
      ['Your nickname?'],
      ['Fancy nickname.'],
    ]);
  });
});
