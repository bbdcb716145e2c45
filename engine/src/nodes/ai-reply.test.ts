import { describe, expect, it } from 'vitest';
import { compileFlow } from '../compile-flow.js';
import type { AiCallEffect, AiOutcome, EngineEvent } from '../events.js';
import { initialState } from '../state.js';
import { type StepResult, step } from '../step.js';

const T0 = Date.UTC(2026, 11, 5, 9, 0);

function flowWith(config: Record<string, unknown> = {}, connect: string[] = ['done', 'handoff', 'failure']) {
  return compileFlow({
    schemaVersion: 1,
    name: 'Clinic',
    triggers: [{ id: 't1', type: 'any_message', target: 'ai' }],
    nodes: [
      {
        id: 'ai',
        type: 'ai_reply',
        config: {
          credentialId: 'cred',
          model: 'gpt-4o-mini',
          prompt: 'You book visits for {{flow.name}}.',
          goal: 'A day is picked.',
          saveVariables: [{ name: 'day', description: 'The day picked' }],
          ...config,
        },
      },
      { id: 'bye', type: 'message', config: { text: 'Booked: {{day}}' } },
      { id: 'human', type: 'handoff', config: { text: 'A person will write to you.' } },
      { id: 'sorry', type: 'message', config: { text: 'Sorry, call us instead.' } },
    ],
    edges: [
      { id: 'e1', source: 'ai', sourceHandle: 'done', target: 'bye' },
      { id: 'e2', source: 'ai', sourceHandle: 'handoff', target: 'human' },
      { id: 'e3', source: 'ai', sourceHandle: 'failure', target: 'sorry' },
    ].filter((edge) => connect.includes(edge.sourceHandle)),
  });
}

const said = (text: string, extra: Partial<Extract<AiOutcome, { ok: true }>> = {}): AiOutcome => ({
  ok: true,
  text,
  toolCalls: [],
  usage: { inputTokens: 100, outputTokens: 20 },
  ...extra,
});
const message = (id: string, text: string): EngineEvent => ({ type: 'message', id, text });
const answer = (requestId: string, result: AiOutcome): EngineEvent => ({
  type: 'ai_result',
  requestId,
  result,
});
const calls = (result: StepResult) =>
  result.effects.filter((effect): effect is AiCallEffect => effect.type === 'ai_call');
const texts = (result: StepResult) => result.outbound.map((out) => out.text);

describe('ai_reply', () => {
  it('asks the model with the contact’s first message, the rendered prompt, the goal and today', () => {
    const first = step(flowWith(), initialState(), message('m1', 'Hi, a cleaning please'), T0);
    const [call] = calls(first);
    expect(call).toMatchObject({
      requestId: 'm1:1',
      nodeId: 'ai',
      call: {
        purpose: 'reply',
        credentialId: 'cred',
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', text: 'Hi, a cleaning please' }],
        saveVariables: [{ name: 'day', description: 'The day picked' }],
      },
    });
    expect(call?.call.system).toContain('You book visits for Clinic.');
    expect(call?.call.system).toContain('call the tool “finish”: A day is picked.');
    expect(call?.call.system).toContain('Today is Saturday, 2026-12-05');
    expect(first.outbound).toEqual([]);
  });

  it('talks until the model calls finish, keeping its memory and saved values, then leaves by Done', () => {
    const flow = flowWith();
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const hello = step(flow, first.state, answer('m1:1', said('Hello! Which day suits you?')), T0 + 1);
    expect(texts(hello)).toEqual(['Hello! Which day suits you?']);
    const monday = step(flow, hello.state, message('m2', 'Monday'), T0 + 2);
    expect(calls(monday)[0]?.call.messages).toEqual([
      { role: 'user', text: 'Hi' },
      { role: 'assistant', text: 'Hello! Which day suits you?' },
      { role: 'user', text: 'Monday' },
    ]);
    const done = step(
      flow,
      monday.state,
      answer(
        'm1:2',
        said('Monday it is.', {
          finish: 'done',
          saved: { day: 'Monday', notDeclared: 'x' },
          toolCalls: [{ name: 'finish', arguments: {} }],
        }),
      ),
      T0 + 3,
    );
    expect(texts(done)).toEqual(['Monday it is.', 'Booked: Monday']);
    expect(done.state.conversation?.variables).toEqual({ day: 'Monday' });
    expect(done.state.conversation?.status).toBe('completed');
    expect(done.effects).toContainEqual(
      expect.objectContaining({ type: 'answer_saved', variable: 'day', value: 'Monday' }),
    );
    expect(done.notes.map((note) => note.kind)).toEqual(['ai_tool_call']);
  });

  it('leaves by “Wants a person” when the model calls handoff', () => {
    const flow = flowWith();
    const first = step(flow, initialState(), message('m1', 'I want a human'), T0);
    const handed = step(flow, first.state, answer('m1:1', said('', { finish: 'handoff' })), T0 + 1);
    expect(texts(handed)).toEqual(['A person will write to you.']);
    expect(handed.state.conversation?.status).toBe('handoff');
  });

  it('leaves by Failure with the provider’s reason in a note', () => {
    const flow = flowWith();
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const failed = step(
      flow,
      first.state,
      answer('m1:1', {
        ok: false,
        code: 'auth_refused',
        error: 'OpenAI refused the API key.',
        toolCalls: [],
        usage: { inputTokens: 0, outputTokens: 0 },
      }),
      T0 + 1,
    );
    expect(texts(failed)).toEqual(['Sorry, call us instead.']);
    expect(failed.notes).toEqual([
      expect.objectContaining({
        kind: 'ai_failed',
        text: expect.stringContaining('OpenAI refused the API key.'),
      }),
    ]);
  });

  it('leaves by Failure when the reply budget is spent', () => {
    const flow = flowWith({ maxTurns: 1 });
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const hello = step(flow, first.state, answer('m1:1', said('Which day?')), T0 + 1);
    const again = step(flow, hello.state, message('m2', 'Not sure'), T0 + 2);
    expect(calls(again)).toEqual([]);
    expect(texts(again)).toEqual(['Sorry, call us instead.']);
    expect(again.notes[0]?.text).toMatch(/answered 1 messages without reaching its goal/);
  });

  it('leaves by Failure when the token budget is spent', () => {
    const flow = flowWith({ maxTokens: 500 });
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const costly = said('Which day?', { usage: { inputTokens: 450, outputTokens: 60 } });
    const spent = step(flow, first.state, answer('m1:1', costly), T0 + 1);
    expect(texts(spent)).toEqual(['Which day?', 'Sorry, call us instead.']);
    expect(spent.notes[0]?.text).toMatch(/used 510 tokens/);
  });

  it('leaves by Failure when its time budget runs out, on the timer', () => {
    const flow = flowWith({ maxMinutes: 5 });
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const hello = step(flow, first.state, answer('m1:1', said('Which day?')), T0 + 1);
    const late = step(flow, hello.state, { type: 'timer' }, T0 + 5 * 60_000);
    expect(texts(late)).toEqual(['Sorry, call us instead.']);
    expect(late.notes[0]?.text).toMatch(/talked for 5 minutes/);
  });

  it('keeps messages that arrive while the model answers and sends them with the next call', () => {
    const flow = flowWith();
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const early = step(flow, first.state, message('m2', 'Monday please'), T0 + 1);
    expect(calls(early)).toEqual([]);
    const hello = step(flow, early.state, answer('m1:1', said('Hello!')), T0 + 2);
    expect(texts(hello)).toEqual(['Hello!']);
    expect(calls(hello)[0]?.call.messages.at(-1)).toEqual({ role: 'user', text: 'Monday please' });
  });

  it('notes the tools the model called and a call retried after a restart', () => {
    const flow = flowWith();
    const first = step(flow, initialState(), message('m1', 'Monday?'), T0);
    const result = said('Monday has 10:00.', {
      retried: true,
      toolCalls: [
        { name: 'free_slots', arguments: { date: '2026-12-07' }, status: 200, result: ['10:00'] },
        { name: 'drop_tables', arguments: {}, refused: 'there is no tool called “drop_tables”' },
        {
          name: 'free_slots',
          arguments: { date: 'x' },
          status: 0,
          result: { error: '10.0.0.5 is a private address' },
        },
      ],
    });
    const noted = step(flow, first.state, answer('m1:1', result), T0 + 1);
    expect(noted.notes.map((note) => note.text)).toEqual([
      expect.stringMatching(/cut off when Parley restarted/),
      'AI reply “A day is picked.” called “free_slots” with {"date":"2026-12-07"}; the service answered 200: ["10:00"].',
      'AI reply “A day is picked.” called “drop_tables” with {}, which was refused: there is no tool called “drop_tables”',
      'AI reply “A day is picked.” called “free_slots” with {"date":"x"}; the call did not go through: 10.0.0.5 is a private address',
    ]);
  });

  it('ignores a result for a call it is not waiting on', () => {
    const flow = flowWith();
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    const stale = step(flow, first.state, answer('m1:9', said('old')), T0 + 1);
    expect(stale.outbound).toEqual([]);
    expect(stale.state).toStrictEqual(first.state);
  });

  it('asks later calls for the conversation only up to where the first call’s transcript ended', () => {
    const flow = flowWith({ memory: 'conversation' });
    const first = step(flow, initialState(), message('m1', 'Hi'), T0);
    expect(calls(first)[0]?.call).toMatchObject({ transcript: true });
    expect(calls(first)[0]?.call).not.toHaveProperty('transcriptUntil');
    const hello = step(
      flow,
      first.state,
      answer('m1:1', said('Which day?', { transcriptUntil: 17 })),
      T0 + 1,
    );
    const monday = step(flow, hello.state, message('m2', 'Monday'), T0 + 2);
    expect(calls(monday)[0]?.call).toMatchObject({ transcript: true, transcriptUntil: 17 });
  });
});
