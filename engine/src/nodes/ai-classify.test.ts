import { describe, expect, it } from 'vitest';
import { compileFlow } from '../compile-flow.js';
import type { AiCallEffect, AiOutcome, EngineEvent } from '../events.js';
import { initialState } from '../state.js';
import { type StepResult, step } from '../step.js';

const T0 = Date.UTC(2026, 11, 5, 9, 0);

const flow = compileFlow({
  schemaVersion: 1,
  name: 'Clinic',
  triggers: [{ id: 't1', type: 'any_message', target: 'route' }],
  nodes: [
    {
      id: 'route',
      type: 'ai_classify',
      config: {
        credentialId: 'cred',
        model: 'gpt-4o-mini',
        saveAs: 'intent',
        categories: [
          { id: 'book', name: 'Booking', description: 'Wants to book, move or cancel a visit' },
          { id: 'ask', name: 'Question', description: 'Asks about prices or hours' },
        ],
      },
    },
    { id: 'b', type: 'message', config: { text: 'Let us book ({{intent}}).' } },
    { id: 'q', type: 'message', config: { text: 'Ask away.' } },
    { id: 'e', type: 'message', config: { text: 'A person will help.' } },
  ],
  edges: [
    { id: 'e1', source: 'route', sourceHandle: 'book', target: 'b' },
    { id: 'e2', source: 'route', sourceHandle: 'ask', target: 'q' },
    { id: 'e3', source: 'route', sourceHandle: 'else', target: 'e' },
  ],
});

const start = () =>
  step(flow, initialState(), { type: 'message', id: 'm1', text: 'Can I come on Monday?' }, T0);
const answer = (result: AiOutcome): EngineEvent => ({ type: 'ai_result', requestId: 'm1:1', result });
const chose = (category: unknown): AiOutcome => ({
  ok: true,
  text: '',
  toolCalls: [],
  output: { category },
  usage: { inputTokens: 40, outputTokens: 3 },
});
const texts = (result: StepResult) => result.outbound.map((out) => out.text);

describe('ai_classify', () => {
  it('asks the model to pick one of the categories by name, or none', () => {
    const call = start().effects.find((effect): effect is AiCallEffect => effect.type === 'ai_call');
    expect(call?.call.output?.schema).toMatchObject({
      properties: { category: { enum: ['Booking', 'Question', 'none of these'] } },
    });
    expect(call?.call.system).toContain('- Booking: Wants to book, move or cancel a visit');
  });

  it('follows the chosen category’s outcome and saves its name', () => {
    const routed = step(flow, start().state, answer(chose('booking')), T0 + 1);
    expect(texts(routed)).toEqual(['Let us book (Booking).']);
  });

  it('goes by Else when none fits, the answer is not a category, or the model fails', () => {
    expect(texts(step(flow, start().state, answer(chose('none of these')), T0 + 1))).toEqual([
      'A person will help.',
    ]);
    expect(
      texts(
        step(
          flow,
          start().state,
          answer({
            ok: true,
            text: '',
            toolCalls: [],
            output: {},
            usage: { inputTokens: 1, outputTokens: 1 },
          }),
          T0 + 1,
        ),
      ),
    ).toEqual(['A person will help.']);
    const failed = step(
      flow,
      start().state,
      answer({
        ok: false,
        code: 'quota',
        error: 'This workspace has used its AI tokens for December.',
        toolCalls: [],
        usage: { inputTokens: 0, outputTokens: 0 },
      }),
      T0 + 1,
    );
    expect(texts(failed)).toEqual(['A person will help.']);
    expect(failed.notes[0]).toMatchObject({
      kind: 'ai_failed',
      text: expect.stringContaining('used its AI tokens'),
    });
    expect(failed.state.conversation?.variables.intent).toBe('');
  });
});
