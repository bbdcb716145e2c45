import { describe, expect, it } from 'vitest';
import { compileFlow } from './compile-flow.js';
import type { EngineEvent } from './events.js';
import { initialState } from './state.js';
import { type StepResult, step } from './step.js';

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
type Json = Record<string, unknown>;

function flowOf(nodes: Json[], edges: Json[] = []) {
  return compileFlow({
    schemaVersion: 1,
    name: 'Notes',
    triggers: [{ id: 't1', type: 'any_message', target: nodes[0]?.id }],
    nodes,
    edges,
  });
}

/** Runs the events in order from a new contact; returns each step's result. */
function run(nodes: Json[], edges: Json[], events: EngineEvent[]): StepResult[] {
  const flow = flowOf(nodes, edges);
  let state = initialState({ name: 'Ana', phone: '+15550100001' });
  return events.map((event, index) => {
    const result = step(flow, state, event, T0 + index * 1000);
    state = result.state;
    return result;
  });
}

const hi: EngineEvent = { type: 'message', id: 'm1', text: 'hi' };
const request = {
  id: 'crm',
  type: 'http_request',
  label: 'Check stock',
  config: { url: 'http://10.0.0.5/stock', saveAs: 'stock' },
};
const sorry = { id: 'sorry', type: 'message', config: { text: 'Sorry, try later.' } };
const onFailure = [{ id: 'e1', source: 'crm', sourceHandle: 'failure', target: 'sorry' }];
const result = (outcome: Json): EngineEvent =>
  ({ type: 'http_result', requestId: 'm1:1', result: outcome }) as EngineEvent;

describe('notes for the admin', () => {
  it('say why a request failed in the runtime’s words, and which way the flow went', () => {
    const [, failed] = run([request, sorry], onFailure, [
      hi,
      result({
        status: 0,
        error: 'The request to 10.0.0.5 was refused: Parley does not call private network addresses',
      }),
    ]);
    expect(failed?.notes).toEqual([
      {
        kind: 'http_failed',
        nodeId: 'crm',
        after: 0,
        text: 'HTTP request “Check stock” did not work. The request to 10.0.0.5 was refused: Parley does not call private network addresses. The flow went on by “Failure”.',
      },
    ]);
  });

  it('say what a status means, and that an unconnected Failure ends the conversation', () => {
    const [, failed] = run([request], [], [hi, result({ status: 500, body: 'oops' })]);
    expect(failed?.notes[0]?.text).toBe(
      'HTTP request “Check stock” did not work. The service answered with status 500: the service had a problem of its own. “Failure” is not connected, so the conversation ended here.',
    );
  });

  it('say nothing when a request succeeds', () => {
    const [, done] = run([request, sorry], onFailure, [hi, result({ status: 200, body: {} })]);
    expect(done?.notes).toEqual([]);
  });

  it('tell a refused answer and its retry, then the fallback when Invalid is not connected', () => {
    const age = {
      id: 'age',
      type: 'question',
      label: 'Age',
      config: {
        prompt: 'How old are you?',
        variable: 'age',
        answer: { type: 'number' },
        retry: { maxAttempts: 2 },
      },
    };
    const [, refused, gaveUp] = run(
      [age],
      [],
      [hi, { type: 'message', id: 'm2', text: 'old' }, { type: 'message', id: 'm3', text: 'very' }],
    );
    expect(refused?.notes).toEqual([
      {
        kind: 'answer_refused',
        nodeId: 'age',
        after: 0,
        text: 'Question “Age” did not accept the answer “old”, so its retry message was sent (try 2 of 2).',
      },
    ]);
    expect(gaveUp?.notes.map((note) => [note.kind, note.text])).toEqual([
      [
        'ended_with_fallback',
        'Question “Age” did not accept the answer “very” after 2 tries, and its “Invalid” outcome is not connected, so the conversation ended with the fallback message.',
      ],
    ]);
  });

  it('tell which way the flow went when Invalid is connected', () => {
    const age = {
      id: 'age',
      type: 'question',
      config: {
        prompt: 'How old are you?',
        variable: 'age',
        answer: { type: 'number' },
        retry: { maxAttempts: 1 },
      },
    };
    const [, gaveUp] = run(
      [age, sorry],
      [{ id: 'e1', source: 'age', sourceHandle: 'invalid', target: 'sorry' }],
      [hi, { type: 'message', id: 'm2', text: 'old' }],
    );
    expect(gaveUp?.notes).toEqual([
      {
        kind: 'answer_refused',
        nodeId: 'age',
        after: 0,
        text: 'Question “How old are you?” did not accept the answer “old” after 1 try. The flow went on by “Invalid”.',
      },
    ]);
  });

  it('tell which variables a message showed empty, after the message', () => {
    const [started] = run(
      [
        { id: 'hello', type: 'message', config: { text: 'Hello' } },
        {
          id: 'greet',
          type: 'message',
          label: 'Greeting',
          config: { text: 'Your order {{order}} for {{contact.name}}' },
        },
      ],
      [{ id: 'e1', source: 'hello', sourceHandle: 'next', target: 'greet' }],
      [hi],
    );
    expect(started?.notes).toEqual([
      {
        kind: 'empty_variable',
        nodeId: 'greet',
        after: 2,
        text: 'Send message “Greeting” shows “order”, which has no value yet, so that part of the message is blank.',
      },
    ]);
  });
});
