import { describe, expect, it } from 'vitest';
import { type CompiledFlow, compileFlow } from './compile-flow.js';
import type { Effect, EngineEvent, HttpRequestEffect } from './events.js';
import { type ContactState, initialState, migrateState, STATE_VERSION } from './state.js';
import { type StepResult, step } from './step.js';
import { nextTimerAt } from './timers.js';
import type { EngineOptions } from './turn.js';

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
const MINUTE = 60_000;

type Json = Record<string, unknown>;

function flowOf(doc: {
  nodes: Json[];
  edges?: Json[];
  triggers?: Json[];
  settings?: Json;
  name?: string;
}): CompiledFlow {
  return compileFlow({
    schemaVersion: 1,
    name: doc.name ?? 'Test flow',
    ...(doc.settings === undefined ? {} : { settings: doc.settings }),
    triggers: doc.triggers ?? [{ id: 't1', type: 'any_message', target: doc.nodes[0]?.id }],
    nodes: doc.nodes,
    edges: doc.edges ?? [],
  });
}

/** Edges along `next` handles: a → b → c. */
function chain(...ids: string[]): Json[] {
  return ids.slice(1).map((target, i) => ({ id: `e${i}`, source: ids[i], sourceHandle: 'next', target }));
}

const message = (id: string, text: string) => ({ id, type: 'message', config: { text } });
const question = (
  id: string,
  variable: string,
  prompt = `${variable}?`,
  answer: Json = { type: 'string' },
  extra: Json = {},
) => ({ id, type: 'question', config: { prompt, variable, answer, ...extra } });
const end = (id: string, text?: string) => ({ id, type: 'end', config: text === undefined ? {} : { text } });

const text = (id: string, body: string): EngineEvent => ({ type: 'message', id, text: body });
const texts = (result: StepResult) => result.outbound.map((m) => m.text);
const ofType = <T extends Effect['type']>(result: StepResult, type: T) =>
  result.effects.filter((effect): effect is Extract<Effect, { type: T }> => effect.type === type);

/** Runs events one after another, each at its time; returns every result. */
function run(
  flow: CompiledFlow,
  events: [number, EngineEvent][],
  options: EngineOptions = {},
  start: ContactState = initialState({ name: 'Ana', phone: '+15550100001' }),
): StepResult[] {
  let state = start;
  return events.map(([at, event]) => {
    const result = step(flow, state, event, at, options);
    state = result.state;
    return result;
  });
}
const last = <T>(items: T[]): T => items[items.length - 1] as T;

describe('delay in production (no inlineDelays)', () => {
  const flow = flowOf({
    settings: { maxStepsPerTurn: 3 },
    nodes: [
      message('m1', 'Working on it.'),
      { id: 'd', type: 'delay', config: { seconds: 90 } },
      message('m2', 'Almost.'),
      message('m3', 'Done.'),
      question('q', 'rating', 'Rate us?'),
      end('end', 'Bye.'),
    ],
    edges: chain('m1', 'd', 'm2', 'm3', 'q', 'end'),
  });

  it('waits at the delay and tells when to wake', () => {
    const [first] = run(flow, [[T0, text('w1', 'hi')]]);
    expect(texts(first as StepResult)).toEqual(['Working on it.']);
    expect(first?.state.conversation?.wait).toEqual({ kind: 'delay', nodeId: 'd', until: T0 + 90_000 });
    expect(nextTimerAt(flow, first?.state as ContactState)).toBe(T0 + 90_000);
  });

  it('does nothing on a timer before the delay is over, nor on a message meanwhile', () => {
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 30_000, { type: 'timer' }],
      [T0 + 40_000, text('w2', 'hello?')],
    ]);
    expect(texts(results[1] as StepResult)).toEqual([]);
    expect(texts(results[2] as StepResult)).toEqual([]);
    expect(last(results).state.conversation?.wait).toEqual({
      kind: 'delay',
      nodeId: 'd',
      until: T0 + 90_000,
    });
    expect(last(results).state.conversation?.status).toBe('active');
  });

  it('resumes on the timer at `until` in a new turn (the step limit counts again from zero)', () => {
    // The first turn ran m1 and d (2 nodes); m2, m3 and q are 3 more: within the limit of 3
    // only because the resumed walk is a new turn.
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 90_000, { type: 'timer' }],
    ]);
    const resumed = last(results);
    expect(texts(resumed)).toEqual(['Almost.', 'Done.', 'Rate us?']);
    expect(resumed.state.conversation?.status).toBe('active');
    expect(resumed.state.conversation?.wait).toEqual({ kind: 'answer', nodeId: 'q', attempts: 0 });
    expect(resumed.state.conversation?.lastActivityAt).toBe(T0 + 90_000);
  });

  it('resumes a delay longer than the session timeout instead of expiring', () => {
    const long = flowOf({
      settings: { sessionTimeoutMinutes: 30, expiredText: 'Closed.' },
      nodes: [{ id: 'd', type: 'delay', config: { seconds: 3 * 3600 } }, message('m', 'Three hours later.')],
      edges: chain('d', 'm'),
    });
    const results = run(long, [[T0, text('w1', 'hi')]]);
    const at = nextTimerAt(long, last(results).state) as number;
    expect(at).toBe(T0 + 3 * 3600_000);
    const resumed = step(long, last(results).state, { type: 'timer' }, at);
    expect(texts(resumed)).toEqual(['Three hours later.']);
    expect(resumed.state.conversation?.status).toBe('completed');
  });

  it('passes at once within the same turn with inlineDelays (the simulator)', () => {
    const [result] = run(flow, [[T0, text('w1', 'hi')]], { inlineDelays: true });
    // m1, d, m2 fill the limit of 3: the fourth node is refused.
    expect(texts(result as StepResult)).toEqual([
      'Working on it.',
      'Almost.',
      'Sorry, something went wrong.',
    ]);
    expect(result?.state.conversation?.status).toBe('failed');
  });
});

describe('http_request effects', () => {
  const crm = flowOf({
    nodes: [
      question('q', 'email', 'Email?', { type: 'string', format: 'email' }),
      {
        id: 'h',
        type: 'http_request',
        config: { url: 'https://crm.example/leads?email={{email}}&who={{contact.name}}' },
      },
      message('ok', 'Saved.'),
    ],
    edges: [...chain('q', 'h'), { id: 'es', source: 'h', sourceHandle: 'success', target: 'ok' }],
  });

  it('renders the URL with URL-encoded values, GET and a 10 s timeout by default, no body', () => {
    const results = run(
      crm,
      [
        [T0, text('w1', 'hi')],
        [T0 + MINUTE, text('w2', 'a+b@example.com')],
      ],
      {},
      initialState({ name: 'Ana & Bo' }),
    );
    const requests = ofType(last(results), 'http_request');
    expect(requests).toStrictEqual([
      {
        type: 'http_request',
        conversationId: 'w1',
        requestId: 'w1:1',
        nodeId: 'h',
        request: {
          url: 'https://crm.example/leads?email=a%2Bb%40example.com&who=Ana%20%26%20Bo',
          method: 'GET',
          headers: {},
          timeoutMs: 10_000,
        },
      },
    ]);
    expect(last(results).state.conversation?.wait).toEqual({ kind: 'http', nodeId: 'h', requestId: 'w1:1' });
    expect(texts(last(results))).toEqual([]);
  });

  it('JSON-escapes values in a JSON body and renders headers, method and timeout as set', () => {
    const post = flowOf({
      nodes: [
        question('q', 'note', 'Note?'),
        {
          id: 'h',
          type: 'http_request',
          config: {
            method: 'POST',
            url: 'https://crm.example/notes',
            headers: { 'x-contact': '{{contact.phone}}' },
            body: '{"note":"{{note}}","who":"{{contact.name}}","missing":"{{nothing}}"}',
            timeoutMs: 5000,
          },
        },
      ],
      edges: chain('q', 'h'),
    });
    const note = 'He said "hi" \\o/\nbye';
    const results = run(post, [
      [T0, text('w1', 'hi')],
      [T0 + MINUTE, text('w2', note)],
    ]);
    const [effect] = ofType(last(results), 'http_request') as [HttpRequestEffect];
    expect(effect.request.method).toBe('POST');
    expect(effect.request.timeoutMs).toBe(5000);
    expect(effect.request.headers).toEqual({ 'x-contact': '+15550100001' });
    // The answer is trimmed; the rendered body stays valid JSON carrying it unchanged.
    expect(JSON.parse(effect.request.body as string)).toEqual({ note: note.trim(), who: 'Ana', missing: '' });
  });

  it('does not escape values in a body that is not JSON', () => {
    const form = flowOf({
      nodes: [
        question('q', 'note', 'Note?'),
        {
          id: 'h',
          type: 'http_request',
          config: { method: 'PUT', url: 'https://crm.example/x', body: 'note={{note}}' },
        },
      ],
      edges: chain('q', 'h'),
    });
    const results = run(form, [
      [T0, text('w1', 'hi')],
      [T0 + MINUTE, text('w2', 'a "b"')],
    ]);
    expect(ofType(last(results), 'http_request')[0]?.request.body).toBe('note=a "b"');
  });
});

describe('http_result events', () => {
  const flow = flowOf({
    nodes: [
      { id: 'h', type: 'http_request', config: { url: 'https://crm.example/x', saveAs: 'crm' } },
      message('ok', 'OK {{crm.status}} {{crm.body.id}}'),
      message('ko', 'KO {{crm.status}}{{crm.error}}'),
    ],
    edges: [
      { id: 'e1', source: 'h', sourceHandle: 'success', target: 'ok' },
      { id: 'e2', source: 'h', sourceHandle: 'failure', target: 'ko' },
    ],
  });
  const started = () => run(flow, [[T0, text('w1', 'hi')]])[0] as StepResult;
  const result = (
    requestId: string,
    outcome: { status: number; body: unknown } | { status: 0; error: string },
  ) => ({ type: 'http_result', requestId, result: outcome }) as const;

  it('follows success on a 2xx and saves { status, body } under saveAs', () => {
    const reply = step(flow, started().state, result('w1:1', { status: 201, body: { id: 7 } }), T0 + 500);
    expect(texts(reply)).toEqual(['OK 201 7']);
    expect(reply.state.conversation?.variables.crm).toEqual({ status: 201, body: { id: 7 } });
    expect(reply.state.conversation?.status).toBe('completed');
  });

  it('follows failure on any other status', () => {
    for (const status of [199, 302, 404, 500]) {
      const reply = step(flow, started().state, result('w1:1', { status, body: 'nope' }), T0 + 500);
      expect(texts(reply)).toEqual([`KO ${status}`]);
      expect(reply.state.conversation?.variables.crm).toEqual({ status, body: 'nope' });
    }
    expect(texts(step(flow, started().state, result('w1:1', { status: 299, body: null }), T0))).toEqual([
      'OK 299 ',
    ]);
  });

  it('follows failure on a network error and saves { status: 0, error }', () => {
    const reply = step(flow, started().state, result('w1:1', { status: 0, error: 'timed out' }), T0 + 500);
    expect(texts(reply)).toEqual(['KO 0timed out']);
    expect(reply.state.conversation?.variables.crm).toEqual({ status: 0, error: 'timed out' });
  });

  it('ignores a result for a request the conversation is not waiting on', () => {
    const before = started().state;
    const stale = step(flow, before, result('w1:0', { status: 200, body: {} }), T0 + 500);
    expect(stale.state).toStrictEqual(before);
    expect(stale.outbound).toEqual([]);
    expect(stale.effects).toEqual([]);
    expect(stale.log.join('\n')).toMatch(/w1:0/);

    const fresh = step(flow, initialState(), result('w1:1', { status: 200, body: {} }), T0);
    expect(fresh.state).toStrictEqual(initialState());
    expect(fresh.outbound).toEqual([]);
  });

  it('ignores a second result for the same request once the walk went on', () => {
    const done = step(flow, started().state, result('w1:1', { status: 200, body: { id: 1 } }), T0 + 500);
    const again = step(flow, done.state, result('w1:1', { status: 500, body: {} }), T0 + 600);
    expect(again.outbound).toEqual([]);
    expect(again.state).toStrictEqual(done.state);
  });

  it('saves nothing without saveAs', () => {
    const plain = flowOf({
      nodes: [
        { id: 'h', type: 'http_request', config: { url: 'https://crm.example/x' } },
        message('ok', 'OK'),
      ],
      edges: [{ id: 'e1', source: 'h', sourceHandle: 'success', target: 'ok' }],
    });
    const first = run(plain, [[T0, text('w1', 'hi')]])[0] as StepResult;
    const reply = step(plain, first.state, result('w1:1', { status: 200, body: { a: 1 } }), T0 + 1);
    expect(texts(reply)).toEqual(['OK']);
    expect(reply.state.conversation?.variables).toEqual({});
  });

  it('numbers the requests of a conversation so each result finds its own', () => {
    const twice = flowOf({
      nodes: [
        { id: 'h1', type: 'http_request', config: { url: 'https://crm.example/1', saveAs: 'a' } },
        { id: 'h2', type: 'http_request', config: { url: 'https://crm.example/2', saveAs: 'b' } },
      ],
      edges: [{ id: 'e1', source: 'h1', sourceHandle: 'success', target: 'h2' }],
    });
    const first = run(twice, [[T0, text('w9', 'go')]])[0] as StepResult;
    expect(ofType(first, 'http_request').map((e) => e.requestId)).toEqual(['w9:1']);
    const second = step(twice, first.state, result('w9:1', { status: 200, body: 1 }), T0 + 1);
    expect(ofType(second, 'http_request').map((e) => [e.requestId, e.request.url])).toEqual([
      ['w9:2', 'https://crm.example/2'],
    ]);
    // The result of the first request again is stale now.
    expect(step(twice, second.state, result('w9:1', { status: 200, body: 1 }), T0 + 2).state).toStrictEqual(
      second.state,
    );
  });
});

describe('hand-off and release', () => {
  const flow = flowOf({
    triggers: [
      { id: 't1', type: 'keyword', keywords: ['menu'], interrupt: true, target: 'q' },
      { id: 't2', type: 'any_message', target: 'q' },
    ],
    nodes: [
      question('q', 'name', 'Name?'),
      { id: 'h', type: 'handoff', config: { text: 'A person will answer.' } },
    ],
    edges: chain('q', 'h'),
  });
  const handedOff = () =>
    last(
      run(flow, [
        [T0, text('w1', 'hi')],
        [T0 + 1, text('w2', 'Ana')],
      ]),
    );

  it('stays silent for every message, interrupt keywords included', () => {
    const start = handedOff();
    expect(texts(start)).toEqual(['A person will answer.']);
    expect(start.state.conversation?.status).toBe('handoff');
    for (const body of ['hello?', 'menu', 'MENU']) {
      const reply = step(flow, start.state, text('w3', body), T0 + 2);
      expect(reply.outbound).toEqual([]);
      expect(reply.effects).toEqual([]);
      expect(reply.state).toStrictEqual(start.state);
    }
  });

  it('after a release, the next message goes through the triggers again', () => {
    const released = step(flow, handedOff().state, { type: 'release' }, T0 + 5);
    expect(released.outbound).toEqual([]);
    expect(released.state.conversation?.releasedAt).toBe(T0 + 5);
    const next = step(flow, released.state, text('w4', 'hello again'), T0 + 6);
    expect(texts(next)).toEqual(['Name?']);
    expect(next.state.conversation).toMatchObject({ id: 'w4', status: 'active', variables: {} });
  });

  it('a release with no hand-off changes nothing', () => {
    const active = run(flow, [[T0, text('w1', 'hi')]])[0] as StepResult;
    const released = step(flow, active.state, { type: 'release' }, T0 + 5);
    expect(released.state).toStrictEqual(active.state);
    expect(released.outbound).toEqual([]);
    expect(released.effects).toEqual([]);
    expect(step(flow, initialState(), { type: 'release' }, T0).state).toStrictEqual(initialState());
  });
});

describe('conversations: ids, start and end effects', () => {
  const flow = flowOf({
    triggers: [
      { id: 'restart', type: 'keyword', keywords: ['restart'], interrupt: true, target: 'q1' },
      { id: 'any', type: 'any_message', target: 'q1' },
    ],
    nodes: [
      question('q1', 'name', 'Name?'),
      { id: 'set', type: 'set_variable', config: { variable: 'tag', value: 'lead-{{name}}' } },
      question('q2', 'age', 'Age?', { type: 'integer' }),
      end('end', 'Bye {{name}}.'),
    ],
    edges: chain('q1', 'set', 'q2', 'end'),
  });

  it('names a conversation after the message that started it', () => {
    const [first] = run(flow, [[T0, text('wamid.1', 'hi')]]);
    expect(first?.state.conversation?.id).toBe('wamid.1');
    expect(first?.state.conversation?.startedAt).toBe(T0);
    expect(ofType(first as StepResult, 'conversation_started')).toEqual([
      { type: 'conversation_started', conversationId: 'wamid.1', triggerId: 'any' },
    ]);
    expect(first?.outbound.map((m) => m.conversationId)).toEqual(['wamid.1']);
  });

  it('ends with conversation_ended carrying the answers (question variables that hold a value)', () => {
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 1, text('w2', 'Ana')],
      [T0 + 2, text('w3', '41')],
    ]);
    const done = last(results);
    expect(texts(done)).toEqual(['Bye Ana.']);
    expect(ofType(done, 'conversation_ended')).toStrictEqual([
      {
        type: 'conversation_ended',
        conversationId: 'w1',
        status: 'completed',
        answers: { name: 'Ana', age: 41 },
      },
    ]);
    expect(done.state.conversation).toMatchObject({ status: 'completed', endedAt: T0 + 2, wait: null });
    expect(ofType(results[1] as StepResult, 'answer_saved')).toEqual([
      { type: 'answer_saved', conversationId: 'w1', nodeId: 'q1', variable: 'name', value: 'Ana' },
    ]);
  });

  it('an interrupt ends the running conversation as abandoned and starts a new one with empty variables', () => {
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 1, text('w2', 'Ana')],
      [T0 + 2, text('w3', 'RESTART')],
    ]);
    const restarted = last(results);
    expect(ofType(restarted, 'conversation_ended')).toEqual([
      {
        type: 'conversation_ended',
        conversationId: 'w1',
        status: 'abandoned',
        answers: { name: 'Ana' },
        reason: expect.any(String),
      },
    ]);
    expect(ofType(restarted, 'conversation_started')).toEqual([
      { type: 'conversation_started', conversationId: 'w3', triggerId: 'restart' },
    ]);
    expect(restarted.state.conversation).toMatchObject({ id: 'w3', status: 'active', variables: {} });
    expect(texts(restarted)).toEqual(['Name?']);
  });

  it('a failure ends with the fallback text, a reason and the answers so far', () => {
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 1, text('w2', 'Ana')],
      [T0 + 2, text('w3', 'x')],
      [T0 + 3, text('w4', 'y')],
      [T0 + 4, text('w5', 'z')],
    ]);
    const failed = last(results);
    expect(texts(failed)).toEqual(['Sorry, something went wrong.']);
    expect(failed.outbound[0]?.kind).toBe('fallback');
    const [ended] = ofType(failed, 'conversation_ended');
    expect(ended).toMatchObject({ conversationId: 'w1', status: 'failed', answers: { name: 'Ana' } });
    expect(ended?.reason).toBeTruthy();
    expect(failed.state.conversation?.endReason).toBe(ended?.reason);
  });

  it('an expiry ends with its answers too', () => {
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 1, text('w2', 'Ana')],
      [T0 + 1 + 30 * MINUTE, { type: 'timer' }],
    ]);
    expect(ofType(last(results), 'conversation_ended')).toEqual([
      expect.objectContaining({ conversationId: 'w1', status: 'expired', answers: { name: 'Ana' } }),
    ]);
  });

  it('a message arriving after the timeout, before the timer fired, expires the old conversation first', () => {
    const results = run(flow, [
      [T0, text('w1', 'hi')],
      [T0 + 31 * MINUTE, text('w2', 'Ana')],
    ]);
    const reply = last(results);
    expect(ofType(reply, 'conversation_ended')).toEqual([
      expect.objectContaining({ conversationId: 'w1', status: 'expired' }),
    ]);
    expect(reply.state.conversation).toMatchObject({ id: 'w2', status: 'active', variables: {} });
    expect(texts(reply)).toEqual(['Name?']);
  });

  it('updates the contact from the message', () => {
    const [first] = run(flow, [[T0, { type: 'message', id: 'w1', text: 'hi', contact: { name: 'Bea' } }]]);
    expect(first?.state.contact).toEqual({ name: 'Bea', phone: '+15550100001' });
  });
});

describe('the reply to a message that starts nothing', () => {
  const HOUR = 60 * MINUTE;
  const flow = (replies: Json) =>
    flowOf({
      triggers: [{ id: 'menu', type: 'keyword', keywords: ['menu'], target: 'q1' }],
      nodes: [question('q1', 'name', 'Name?'), end('end', 'Thanks.')],
      edges: chain('q1', 'end'),
      settings: { replies },
    });
  const noMatch = 'Hi! Write MENU to see what I can do.';

  it('is off unless the flow sets it', () => {
    const [first] = run(flow({}), [[T0, text('w1', 'hello')]]);
    expect(first?.outbound).toEqual([]);
    expect(first?.state).toEqual(initialState({ name: 'Ana', phone: '+15550100001' }));
  });

  it('answers a first-time contact outside any conversation, at most once a day', () => {
    const results = run(flow({ noMatch }), [
      [T0, text('w1', 'hello')],
      [T0 + 23 * HOUR, text('w2', 'hello?')],
      [T0 + 24 * HOUR, text('w3', 'anyone?')],
    ]);
    expect(results.map((result) => result.outbound)).toEqual([
      [{ kind: 'message', conversationId: null, text: noMatch }],
      [],
      [{ kind: 'message', conversationId: null, text: noMatch }],
    ]);
    expect(results.map((result) => result.state.conversation)).toEqual([null, null, null]);
    expect(results.flatMap((result) => result.effects)).toEqual([]);
    expect(last(results).state.noMatchRepliedAt).toBe(T0 + 24 * HOUR);
  });

  it('leaves a trigger word, and a conversation that has ended with an after-end reply, alone', () => {
    const results = run(flow({ noMatch, afterEnd: 'That chat is over: write MENU again.' }), [
      [T0, text('w1', 'menu')],
      [T0 + 1, text('w2', 'Ana')],
      [T0 + 2, text('w3', 'thanks!')],
    ]);
    expect(results.map(texts)).toEqual([['Name?'], ['Thanks.'], ['That chat is over: write MENU again.']]);
  });

  it('answers after an ended conversation when the flow has no after-end reply', () => {
    const results = run(flow({ noMatch }), [
      [T0, text('w1', 'menu')],
      [T0 + 1, text('w2', 'Ana')],
      [T0 + 2, text('w3', 'thanks!')],
    ]);
    expect(last(results).outbound).toEqual([{ kind: 'message', conversationId: null, text: noMatch }]);
    expect(last(results).state.conversation?.status).toBe('completed');
  });
});

describe('the step limit', () => {
  it('counts the question that waits: exactly maxStepsPerTurn nodes fit in a turn', () => {
    const nodes = [message('m1', 'One.'), message('m2', 'Two.'), question('q', 'a', 'Three?')];
    const fits = flowOf({ settings: { maxStepsPerTurn: 3 }, nodes, edges: chain('m1', 'm2', 'q') });
    expect(texts(run(fits, [[T0, text('w1', 'hi')]])[0] as StepResult)).toEqual(['One.', 'Two.', 'Three?']);
    const tooMany = flowOf({
      settings: { maxStepsPerTurn: 2, fallbackText: 'Stop.' },
      nodes,
      edges: chain('m1', 'm2', 'q'),
    });
    const [failed] = run(tooMany, [[T0, text('w1', 'hi')]]);
    expect(texts(failed as StepResult)).toEqual(['One.', 'Two.', 'Stop.']);
    expect(failed?.state.conversation?.status).toBe('failed');
    expect(failed?.log.join('\n')).toMatch(/2 steps/);
  });
});

describe('migrateState', () => {
  it('passes a current state through', () => {
    const state = initialState({ name: 'Ana' });
    expect(migrateState(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(state.v).toBe(STATE_VERSION);
  });

  it('refuses unknown versions and things that are not states', () => {
    expect(() => migrateState({ v: 2, contact: {}, conversation: null })).toThrow(
      /Unknown conversation state version 2/,
    );
    expect(() => migrateState({ v: 0, contact: {}, conversation: null })).toThrow(/version 0/);
    expect(() => migrateState({ contact: {}, conversation: null })).toThrow(/version undefined/);
    expect(() => migrateState(null)).toThrow(/not an object/);
    expect(() => migrateState('{"v":1}')).toThrow(/not an object/);
  });
});

describe('step is pure', () => {
  function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const item of Object.values(value)) deepFreeze(item);
    }
    return value;
  }

  const flow = flowOf({
    settings: { reminder: { afterMinutes: 5, text: 'Still there?' }, expiredText: 'Closed.' },
    triggers: [
      { id: 'stop', type: 'keyword', keywords: ['stop'], interrupt: true, target: 'h' },
      { id: 'any', type: 'any_message', target: 'q1' },
    ],
    nodes: [
      question('q1', 'tags', 'Tags?', { type: 'array', items: { type: 'string' } }),
      { id: 'set', type: 'set_variable', config: { variable: 'n', value: '3,5', as: 'number' } },
      { id: 'http', type: 'http_request', config: { url: 'https://crm.example/{{tags}}', saveAs: 'crm' } },
      question('q2', 'photo', 'Photo?', { type: 'object' }, { accept: 'media' }),
      { id: 'h', type: 'handoff', config: { text: 'Human.' } },
    ],
    edges: [
      ...chain('q1', 'set', 'http'),
      { id: 'es', source: 'http', sourceHandle: 'success', target: 'q2' },
      { id: 'eh', source: 'q2', sourceHandle: 'next', target: 'h' },
    ],
  });

  it('never changes the state (or the event) it is given', () => {
    const events: [number, EngineEvent][] = [
      [T0, text('w1', 'hi')],
      [T0 + 6 * MINUTE, { type: 'timer' }],
      [T0 + 7 * MINUTE, text('w2', 'a, b')],
      [
        T0 + 7 * MINUTE,
        { type: 'http_result', requestId: 'w1:1', result: { status: 200, body: { ok: [1] } } },
      ],
      [T0 + 8 * MINUTE, { type: 'message', id: 'w3', media: { url: 'u', mimeType: 'image/png', size: 1 } }],
      [T0 + 9 * MINUTE, text('w4', 'still?')],
      [T0 + 10 * MINUTE, { type: 'release' }],
      [T0 + 11 * MINUTE, text('w5', 'hi')],
      [T0 + 12 * MINUTE, text('w6', 'stop')],
    ];
    let state = initialState({ name: 'Ana' });
    const seen: string[] = [];
    for (const [at, event] of events) {
      const before = structuredClone(state);
      const frozenEvent = deepFreeze(structuredClone(event));
      const result = step(flow, deepFreeze(state), frozenEvent, at);
      expect(state).toStrictEqual(before);
      expect(frozenEvent).toStrictEqual(event);
      expect(result.state).not.toBe(state);
      seen.push(...texts(result));
      state = result.state;
    }
    // The walk really went through every kind of event.
    expect(seen).toEqual(['Tags?', 'Still there?', 'Photo?', 'Human.', 'Tags?', 'Human.']);
    expect(state.conversation).toMatchObject({ id: 'w6', status: 'handoff' });
  });
});
