import { describe, expect, it } from 'vitest';
import { type CompiledFlow, compileFlow } from './compile-flow.js';
import { type ContactState, initialState } from './state.js';
import { step } from './step.js';
import { nextTimerAt } from './timers.js';
import type { EngineOptions } from './turn.js';

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
const MINUTE = 60_000;

function flowOf(nodes: unknown[], edges: unknown[], settings?: Record<string, unknown>): CompiledFlow {
  return compileFlow({
    schemaVersion: 1,
    name: 'Timers',
    ...(settings === undefined ? {} : { settings }),
    triggers: [{ id: 't1', type: 'any_message', target: (nodes[0] as { id: string }).id }],
    nodes,
    edges,
  });
}

const question = {
  id: 'q',
  type: 'question',
  config: { prompt: 'Name?', variable: 'name', answer: { type: 'string' } },
};
const thanks = { id: 'end', type: 'end', config: { text: 'Thanks.' } };
const toEnd = { id: 'e1', source: 'q', sourceHandle: 'next', target: 'end' };

/** Plays text messages (or timers) at the given times and returns the final state. */
function play(
  flow: CompiledFlow,
  events: [number, string | 'TIMER'][],
  options: EngineOptions = {},
): { state: ContactState; texts: string[][] } {
  let state = initialState({ name: 'Ana' });
  const texts: string[][] = [];
  for (const [index, [at, text]] of events.entries()) {
    const event =
      text === 'TIMER' ? ({ type: 'timer' } as const) : ({ type: 'message', id: `m${index}`, text } as const);
    const result = step(flow, state, event, at, options);
    state = result.state;
    texts.push(result.outbound.map((message) => message.text));
  }
  return { state, texts };
}

describe('nextTimerAt', () => {
  it('is null with no conversation', () => {
    expect(nextTimerAt(flowOf([question, thanks], [toEnd]), initialState())).toBeNull();
  });

  it('is the expiry, sessionTimeoutMinutes after the last message, while a question waits', () => {
    const withDefault = flowOf([question, thanks], [toEnd]);
    expect(nextTimerAt(withDefault, play(withDefault, [[T0, 'hi']]).state)).toBe(T0 + 30 * MINUTE);
    const withSetting = flowOf([question, thanks], [toEnd], { sessionTimeoutMinutes: 5 });
    expect(nextTimerAt(withSetting, play(withSetting, [[T0, 'hi']]).state)).toBe(T0 + 5 * MINUTE);
  });

  it('counts from the latest message in either direction', () => {
    const flow = flowOf(
      [{ ...question, config: { ...question.config, answer: { type: 'integer' } } }, thanks],
      [toEnd],
    );
    // An invalid answer (and its retry message) at T0+7: the clock restarts from that exchange.
    const { state, texts } = play(flow, [
      [T0, 'hi'],
      [T0 + 7 * MINUTE, 'not a number'],
    ]);
    expect(texts[1]).toEqual(['Sorry, that is not a valid answer. Please try again.']);
    expect(nextTimerAt(flow, state)).toBe(T0 + 37 * MINUTE);
  });

  it('is the reminder first, then the expiry still counted from the last message, not from the reminder', () => {
    const flow = flowOf([question, thanks], [toEnd], {
      reminder: { afterMinutes: 10, text: 'Still there?' },
      expiredText: 'Closed.',
    });
    const started = play(flow, [[T0, 'hi']]).state;
    expect(nextTimerAt(flow, started)).toBe(T0 + 10 * MINUTE);

    const reminded = step(flow, started, { type: 'timer' }, T0 + 10 * MINUTE);
    expect(reminded.outbound.map((message) => [message.kind, message.text])).toEqual([
      ['reminder', 'Still there?'],
    ]);
    expect(nextTimerAt(flow, reminded.state)).toBe(T0 + 30 * MINUTE);

    // A second timer before the expiry sends nothing: the reminder goes out once.
    const quiet = step(flow, reminded.state, { type: 'timer' }, T0 + 20 * MINUTE);
    expect(quiet.outbound).toEqual([]);

    const expired = step(flow, reminded.state, { type: 'timer' }, T0 + 30 * MINUTE);
    expect(expired.outbound.map((message) => [message.kind, message.text])).toEqual([['expired', 'Closed.']]);
    expect(expired.state.conversation?.status).toBe('expired');
    expect(nextTimerAt(flow, expired.state)).toBeNull();
  });

  it('gives no reminder that would come at or after the expiry', () => {
    const flow = flowOf([question, thanks], [toEnd], {
      sessionTimeoutMinutes: 10,
      reminder: { afterMinutes: 10, text: 'Still there?' },
    });
    const { state } = play(flow, [[T0, 'hi']]);
    expect(nextTimerAt(flow, state)).toBe(T0 + 10 * MINUTE);
    const fired = step(flow, state, { type: 'timer' }, T0 + 10 * MINUTE);
    expect(fired.outbound).toEqual([]);
    expect(fired.state.conversation?.status).toBe('expired');
  });

  it('is the end of a delay in production, even a delay longer than the session timeout', () => {
    const flow = flowOf(
      [
        { id: 'd', type: 'delay', config: { seconds: 2 * 3600 } },
        { id: 'm', type: 'message', config: { text: 'Later.' } },
      ],
      [{ id: 'e1', source: 'd', sourceHandle: 'next', target: 'm' }],
    );
    const { state } = play(flow, [[T0, 'hi']]);
    expect(state.conversation?.wait).toEqual({ kind: 'delay', nodeId: 'd', until: T0 + 2 * 3600_000 });
    expect(nextTimerAt(flow, state)).toBe(T0 + 2 * 3600_000);
  });

  it('is the end of a short delay', () => {
    const flow = flowOf(
      [
        { id: 'd', type: 'delay', config: { seconds: 1.5 } },
        { id: 'm', type: 'message', config: { text: 'Later.' } },
      ],
      [{ id: 'e1', source: 'd', sourceHandle: 'next', target: 'm' }],
    );
    expect(nextTimerAt(flow, play(flow, [[T0, 'hi']]).state)).toBe(T0 + 1500);
  });

  it('is null while an http request is out, and once the conversation is finished or with a human', () => {
    const http = flowOf([{ id: 'h', type: 'http_request', config: { url: 'https://crm.example/x' } }], []);
    expect(play(http, [[T0, 'hi']]).state.conversation?.wait?.kind).toBe('http');
    expect(nextTimerAt(http, play(http, [[T0, 'hi']]).state)).toBeNull();

    const done = flowOf([question, thanks], [toEnd]);
    expect(
      nextTimerAt(
        done,
        play(done, [
          [T0, 'hi'],
          [T0 + MINUTE, 'Ana'],
        ]).state,
      ),
    ).toBeNull();

    const human = flowOf([{ id: 'h', type: 'handoff', config: { text: 'A person will answer.' } }], []);
    const handedOff = play(human, [[T0, 'hi']]).state;
    expect(handedOff.conversation?.status).toBe('handoff');
    expect(nextTimerAt(human, handedOff)).toBeNull();
  });
});
