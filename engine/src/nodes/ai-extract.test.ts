import { describe, expect, it } from 'vitest';
import { compileFlow } from '../compile-flow.js';
import type { AiCallEffect, AiOutcome, EngineEvent } from '../events.js';
import { initialState } from '../state.js';
import { type StepResult, step } from '../step.js';

const T0 = Date.UTC(2026, 11, 5, 9, 0);

const FIELDS = [
  { name: 'name', description: 'First name', type: 'text', required: true },
  { name: 'day', description: 'The day of the visit', type: 'date', required: true },
  { name: 'service', description: 'What for', type: 'choice', options: ['cleaning', 'check-up'] },
];

/** A question for an email whose refused answer the extraction rescues. */
function flowWith(config: Record<string, unknown> = {}) {
  return compileFlow({
    schemaVersion: 1,
    name: 'Clinic',
    settings: { timeZone: 'Europe/Madrid' },
    triggers: [{ id: 't1', type: 'any_message', target: 'ask' }],
    nodes: [
      {
        id: 'ask',
        type: 'question',
        config: {
          prompt: 'Your email?',
          variable: 'email',
          answer: { type: 'string', format: 'email' },
          retry: { maxAttempts: 1 },
        },
      },
      {
        id: 'x',
        type: 'ai_extract',
        config: { credentialId: 'cred', model: 'gpt-4o-mini', fields: FIELDS, ...config },
      },
      { id: 'ok', type: 'message', config: { text: '{{name}}: {{day}} ({{service}})' } },
      { id: 'again', type: 'message', config: { text: 'Sorry, I did not get that.' } },
    ],
    edges: [
      { id: 'e0', source: 'ask', sourceHandle: 'invalid', target: 'x' },
      { id: 'e1', source: 'x', sourceHandle: 'next', target: 'ok' },
      { id: 'e2', source: 'x', sourceHandle: 'invalid', target: 'again' },
    ],
  });
}

const message = (id: string, text: string): EngineEvent => ({ type: 'message', id, text });
const answer = (result: AiOutcome): EngineEvent => ({ type: 'ai_result', requestId: 'm1:1', result });
const extracted = (output: Record<string, unknown>, refused?: Record<string, string>): AiOutcome => ({
  ok: true,
  text: '',
  toolCalls: [],
  output,
  ...(refused === undefined ? {} : { refused }),
  usage: { inputTokens: 50, outputTokens: 10 },
});
const texts = (result: StepResult) => result.outbound.map((out) => out.text);

function refusedAnswer(flow = flowWith()) {
  const asked = step(flow, initialState(), message('m1', 'hello'), T0);
  return step(flow, asked.state, message('m2', "I'm Ana, can I come next Monday for a cleaning?"), T0 + 1);
}

describe('ai_extract', () => {
  it('rescues the answer a question refused: reads it with the fields’ schema and today’s date', () => {
    const rescued = refusedAnswer();
    const call = rescued.effects.find((effect): effect is AiCallEffect => effect.type === 'ai_call');
    expect(call?.call).toMatchObject({
      purpose: 'extract',
      messages: [{ role: 'user', text: "I'm Ana, can I come next Monday for a cleaning?" }],
      output: {
        schema: {
          type: 'object',
          required: ['name', 'day', 'service'],
          properties: { day: { anyOf: [{ type: 'string', format: 'date' }, { type: 'null' }] } },
        },
      },
    });
    expect(call?.call.system).toContain('Today is Saturday, 2026-12-05 (time zone Europe/Madrid)');
    expect(call?.call.system).toContain('- service (one of: cleaning, check-up): What for');
  });

  it('stores the accepted values and goes on by Next', () => {
    const flow = flowWith();
    const done = step(
      flow,
      refusedAnswer(flow).state,
      answer(extracted({ name: 'Ana', day: '2026-12-07', service: 'cleaning' })),
      T0 + 2,
    );
    expect(texts(done)).toEqual(['Ana: 2026-12-07 (cleaning)']);
    expect(done.effects.filter((effect) => effect.type === 'answer_saved')).toHaveLength(3);
  });

  it('leaves by Not found when a required value is missing, naming it and the refused value', () => {
    const flow = flowWith();
    const result = extracted(
      { name: 'Ana' },
      { day: 'the model gave “next Monday”, but it must be a valid date' },
    );
    const missing = step(flow, refusedAnswer(flow).state, answer(result), T0 + 2);
    expect(texts(missing)).toEqual(['Sorry, I did not get that.']);
    expect(missing.state.conversation?.variables).toMatchObject({ name: 'Ana' });
    expect(missing.state.conversation?.variables).not.toHaveProperty('day');
    expect(missing.notes.map((note) => [note.kind, note.text])).toEqual([
      [
        'ai_refused',
        'AI extract “name, day, service” did not store “day”: the model gave “next Monday”, but it must be a valid date',
      ],
      ['ai_failed', expect.stringContaining('The text did not give “day”.')],
    ]);
  });

  it('leaves by Not found, saying why, when the model cannot be reached', () => {
    const flow = flowWith();
    const failed = step(
      flow,
      refusedAnswer(flow).state,
      answer({
        ok: false,
        code: 'timeout',
        error: 'OpenAI did not answer within 60 seconds.',
        toolCalls: [],
        usage: { inputTokens: 0, outputTokens: 0 },
      }),
      T0 + 2,
    );
    expect(texts(failed)).toEqual(['Sorry, I did not get that.']);
    expect(failed.notes[0]?.text).toContain('OpenAI did not answer within 60 seconds.');
  });

  it('sends a photo the contact gave, and says so when there is none', () => {
    const flow = compileFlow({
      schemaVersion: 1,
      name: 'Plates',
      triggers: [{ id: 't1', type: 'any_message', target: 'photo' }],
      nodes: [
        {
          id: 'photo',
          type: 'question',
          config: { prompt: 'Send a photo', variable: 'pic', answer: { type: 'object' }, accept: 'media' },
        },
        {
          id: 'x',
          type: 'ai_extract',
          config: {
            credentialId: 'cred',
            model: 'gpt-4o',
            imageFrom: 'pic',
            fields: [{ name: 'plate', description: 'The number plate', type: 'text', required: true }],
          },
        },
      ],
      edges: [{ id: 'e1', source: 'photo', sourceHandle: 'next', target: 'x' }],
    });
    const asked = step(flow, initialState(), message('m1', 'hi'), T0);
    const sent = step(
      flow,
      asked.state,
      {
        type: 'message',
        id: 'm2',
        media: { url: 'https://media.example/p.jpg', mimeType: 'image/jpeg', size: 100 },
      },
      T0 + 1,
    );
    const call = sent.effects.find((effect): effect is AiCallEffect => effect.type === 'ai_call');
    expect(call?.call.image).toEqual({ url: 'https://media.example/p.jpg', mimeType: 'image/jpeg' });
    expect(call?.call.messages).toEqual([{ role: 'user', text: '(The contact sent only the photo.)' }]);
  });
});

describe('ai_extract answers', () => {
  it('counts the extracted values among the conversation’s answers', () => {
    const flow = flowWith();
    const done = step(
      flow,
      refusedAnswer(flow).state,
      answer(extracted({ name: 'Ana', day: '2026-12-07', service: 'cleaning' })),
      T0 + 2,
    );
    expect(done.effects).toContainEqual(
      expect.objectContaining({
        type: 'conversation_ended',
        answers: { name: 'Ana', day: '2026-12-07', service: 'cleaning' },
      }),
    );
  });
});
