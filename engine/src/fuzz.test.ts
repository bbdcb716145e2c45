/**
 * Property tests: valid flows (fixtures changed the way an author might) driven by random event
 * sequences. Whatever happens, `step` answers, leaves its input alone, and returns a state that
 * survives being stored as JSON and that the next step can resume from.
 */
import { isDeepStrictEqual } from 'node:util';
import { validateFlow } from '@parley/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEdit,
  editArb,
  fixtureFlows,
  type Json,
} from '../../shared-schemas/src/validation/fixtures/mutate.js';
import { type CompiledFlow, compileFlow } from './compile-flow.js';
import type { EngineEvent } from './events.js';
import { type ContactState, initialState } from './state.js';
import { type StepResult, step } from './step.js';
import { nextTimerAt } from './timers.js';
import type { EngineOptions } from './turn.js';

/** `FUZZ_SCALE=50 npx vitest run …` searches longer; `FUZZ_SEED=n` replays a run. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const runs = (numRuns: number) => ({ numRuns: Math.round(numRuns * SCALE), ...SEED });

const STATUSES = ['active', 'completed', 'failed', 'handoff', 'expired', 'abandoned'];
/** The node type each kind of wait must be stopped at. */
const WAITS_ON = {
  answer: 'question',
  http: 'http_request',
  delay: 'delay',
  ai_reply: 'ai_reply',
  ai_extract: 'ai_extract',
  ai_classify: 'ai_classify',
} as const;
const START = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Flows: the fixtures, edited; only those that validate without errors are run

const FIXTURES = fixtureFlows().map(({ flow }) => flow);

const validFlowArb: fc.Arbitrary<Json> = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.array(editArb, { maxLength: 6 }))
  .map(([flow, edits]) => edits.reduce<unknown>(applyEdit, flow))
  .filter((doc): doc is Json => validateFlow(doc).errors.length === 0);

// ---------------------------------------------------------------------------------------------
// Events: described independently of the flow, resolved against it when run

type Text =
  | { from: 'literal'; text: string }
  /** An answer that fits the question waited on (most of the time), so conversations get far. */
  | { from: 'fitting'; pick: number }
  | { from: 'keyword'; pick: number }
  | { from: 'choice'; pick: number; by: 'label' | 'value' | 'number' | 'several' };

type Action =
  | { kind: 'text'; text: Text; wait: number }
  | { kind: 'media'; wait: number; name?: string }
  | { kind: 'location'; wait: number; lat: number; lng: number }
  | { kind: 'poll'; wait: number; picks: number[] }
  | { kind: 'timer'; wait: number | 'due' }
  | {
      kind: 'http';
      wait: number;
      stale: boolean;
      result: { status: number; body: unknown } | { error: string };
    }
  | { kind: 'release'; wait: number }
  | { kind: 'agent'; wait: number; media: boolean }
  | { kind: 'resume'; wait: number; pick: number };

const literal = fc.oneof(
  fc.constantFrom(
    'skip',
    'SKIP',
    ' Skip ',
    '',
    ' ',
    'hi',
    'menu',
    'restart',
    'order 12',
    'yes',
    'no',
    'ana@example.com',
    'ana@vip.example',
    'not an email',
    '+5511987654321',
    '11987654321',
    '+1 555 0100',
    '2024-02-29',
    '2023-02-29',
    '3,5',
    '3.5',
    '-0',
    '0',
    '-1',
    '1e3',
    '10',
    '50',
    '1,2',
    '1, 3',
    '1 2',
    'a, b',
    'Sales',
    'pro',
    '1',
    '2',
    '3',
    '99',
    '{{email}}',
    '__proto__',
    'constructor',
    'toString',
    '😀',
    'naïve café',
  ),
  fc.integer().map(String),
  fc.double().map(String),
  fc.array(fc.nat(9), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(',')),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

const textArb: fc.Arbitrary<Text> = fc.oneof(
  { weight: 4, arbitrary: literal.map((text) => ({ from: 'literal' as const, text })) },
  { weight: 1, arbitrary: fc.record({ from: fc.constant('keyword' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ from: fc.constant('fitting' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      from: fc.constant('choice' as const),
      pick: fc.nat(),
      by: fc.constantFrom('label' as const, 'value' as const, 'number' as const, 'several' as const),
    }),
  },
);

/** Milliseconds the clock moves before an event: none, seconds, around the reminder and expiry, days. */
const waitArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: MINUTE }) },
  { weight: 2, arbitrary: fc.constantFrom(10 * MINUTE, 30 * MINUTE, 30 * MINUTE + 1, 29 * MINUTE) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 45 * MINUTE }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 * 24 * 60 * MINUTE }) },
);

/** A coordinate (never -0: the channel's JSON cannot carry one). */
const coordinate = (max: number) => fc.double({ min: -max, max, noNaN: true }).map((value) => value + 0);

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('text' as const), text: textArb, wait: waitArb }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.constant('media' as const), wait: waitArb, name: fc.string({ maxLength: 6 }) },
      { requiredKeys: ['kind', 'wait'] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('location' as const),
      wait: waitArb,
      lat: coordinate(90),
      lng: coordinate(180),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('poll' as const),
      wait: waitArb,
      picks: fc.array(fc.nat(), { maxLength: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('timer' as const),
      wait: fc.oneof(fc.constant('due' as const), waitArb),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('http' as const),
      wait: fc.integer({ min: 0, max: 20_000 }),
      stale: fc.constantFrom(false, false, false, true),
      result: fc.oneof(
        fc.record(
          {
            status: fc.oneof(
              fc.constantFrom(200, 201, 204, 299, 300, 404, 500),
              fc.integer({ min: 100, max: 599 }),
            ),
            body: fc.jsonValue({ maxDepth: 3 }),
          },
          { noNullPrototype: true },
        ),
        fc.record(
          { error: fc.constantFrom('timeout', 'ECONNREFUSED', 'refused: private address') },
          { noNullPrototype: true },
        ),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), wait: waitArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('agent' as const), wait: waitArb, media: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('resume' as const), wait: waitArb, pick: fc.nat() }),
  },
);

// ---------------------------------------------------------------------------------------------
// Running

function choicesOf(flow: CompiledFlow): { id: string; label: string; value: string | number }[] {
  return flow.document.nodes.flatMap((node) => (node.type === 'question' ? (node.config.choices ?? []) : []));
}

/** Choices of the question the conversation waits on, else of any question. */
function currentChoices(flow: CompiledFlow, state: ContactState) {
  const wait = state.conversation?.wait;
  const node = wait?.kind === 'answer' ? flow.index.nodeById.get(wait.nodeId) : undefined;
  const own = node?.type === 'question' ? (node.config.choices ?? []) : [];
  return own.length > 0 ? own : choicesOf(flow);
}

/** A reply the question waited on probably accepts (or, now and then, one it does not). */
function fittingAnswer(flow: CompiledFlow, state: ContactState, pick: number): string {
  const wait = state.conversation?.wait;
  const node = wait?.kind === 'answer' ? flow.index.nodeById.get(wait.nodeId) : undefined;
  if (node?.type !== 'question') return ['hi', 'menu', 'order 7'][pick % 3] as string;
  const { choices, answer, skippable } = node.config;
  if (skippable === true && pick % 5 === 0) return 'skip';
  if (choices !== undefined) return (choices[pick % choices.length] as { label: string }).label;
  const schema = answer as { type: string; format?: string; minimum?: number; enum?: unknown[] };
  if (schema.enum !== undefined && schema.enum.length > 0)
    return String(schema.enum[pick % schema.enum.length]);
  switch (schema.type) {
    case 'number':
    case 'integer':
      return String((schema.minimum ?? 0) + (pick % 60));
    case 'boolean':
      return ['yes', 'no', 'Sim', 'maybe'][pick % 4] as string;
    case 'array':
      return ['a, b', 'x', 'one two'][pick % 3] as string;
  }
  switch (schema.format) {
    case 'email':
      return ['ana@example.com', 'bo@vip.example.org', 'nope'][pick % 3] as string;
    case 'phone':
      return ['+5511987654321', '11 98765-4321', '+15550100001', '123'][pick % 4] as string;
    case 'date':
      return ['2024-02-29', '2023-02-29', '2025-12-31'][pick % 3] as string;
    default:
      return ['Ana', 'abc', 'ACME Ltd.', 'x'][pick % 4] as string;
  }
}

function resolveText(flow: CompiledFlow, state: ContactState, text: Text): string {
  if (text.from === 'literal') return text.text;
  if (text.from === 'fitting') return fittingAnswer(flow, state, text.pick);
  if (text.from === 'keyword') {
    const keywords = flow.document.triggers.flatMap((trigger) =>
      trigger.type === 'keyword' ? trigger.keywords : [],
    );
    return keywords.length === 0 ? 'hi' : (keywords[text.pick % keywords.length] as string);
  }
  const choices = currentChoices(flow, state);
  if (choices.length === 0) return String(text.pick % 5);
  const index = text.pick % choices.length;
  const choice = choices[index] as (typeof choices)[number];
  switch (text.by) {
    case 'label':
      return text.pick % 2 === 0 ? choice.label : choice.label.toUpperCase();
    case 'value':
      return String(choice.value);
    case 'number':
      return String(index + 1);
    case 'several':
      return [index + 1, ((text.pick >> 3) % choices.length) + 1].join(text.pick % 2 === 0 ? ', ' : ' ');
  }
}

interface Run {
  flow: CompiledFlow;
  state: ContactState;
  now: number;
  seq: number;
  /** Request ids seen in effects, for stale results. */
  requests: string[];
}

function eventFor(run: Run, action: Action): EngineEvent {
  run.seq += 1;
  const id = `m${run.seq}`;
  switch (action.kind) {
    case 'text':
      return { type: 'message', id, text: resolveText(run.flow, run.state, action.text) };
    case 'media':
      return {
        type: 'message',
        id,
        media: {
          url: `https://media.example/${id}`,
          mimeType: 'image/jpeg',
          size: 1024,
          ...(action.name === undefined ? {} : { name: action.name }),
        },
      };
    case 'location':
      return { type: 'message', id, location: { lat: action.lat, lng: action.lng } };
    case 'poll': {
      const choices = currentChoices(run.flow, run.state);
      const choiceIds = action.picks.map(
        (pick) => choices[pick % Math.max(choices.length, 1)]?.id ?? `x${pick}`,
      );
      return { type: 'message', id, choiceIds };
    }
    case 'timer':
      return { type: 'timer' };
    case 'http': {
      const wait = run.state.conversation?.wait;
      const requestId =
        wait?.kind === 'http' && !action.stale ? wait.requestId : (run.requests.at(-1) ?? 'nobody:1');
      const result =
        'error' in action.result ? { status: 0 as const, error: action.result.error } : action.result;
      return { type: 'http_result', requestId, result };
    }
    case 'release':
      return { type: 'release' };
    case 'agent':
      return {
        type: 'agent_message',
        id,
        text: 'A person here.',
        ...(action.media
          ? { media: { url: `parley-media://${id}`, mimeType: 'application/pdf', size: 9 } }
          : {}),
        agent: { id: 'u1', name: 'Rita' },
      };
    case 'resume': {
      const nodes = run.flow.document.nodes;
      return { type: 'resume', nodeId: nodes[action.pick % Math.max(nodes.length, 1)]?.id ?? 'none' };
    }
  }
}

function advanceClock(run: Run, action: Action): void {
  if (action.wait === 'due') {
    const at = nextTimerAt(run.flow, run.state);
    if (at !== null) run.now = Math.max(run.now, Math.ceil(at));
  } else {
    run.now += action.wait;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * Strict deep equality (prototypes, -0, undefined fields): vitest's toStrictEqual would also compare
 * `.constructor`, which a variable named "constructor" shadows.
 */
function expectSame(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    expect.fail(`${what}:\n${JSON.stringify(actual)}\n!==\n${JSON.stringify(expected)}`);
  }
}

/** Every property a step must keep. */
function checkStep(run: Run, event: EngineEvent, options: EngineOptions): StepResult {
  const before = structuredClone(run.state);
  // Frozen: a step that writes into its input state throws here instead of corrupting it.
  const input = deepFreeze(structuredClone(run.state));
  let result: StepResult | undefined;
  expect(() => {
    result = step(run.flow, input, event, run.now, options);
  }).not.toThrow();
  const { state, outbound, effects } = result as StepResult;
  expectSame(input, before, 'the input state changed');

  expectSame(JSON.parse(JSON.stringify(state)), state, 'the state does not survive JSON');
  expect(outbound.length).toBeLessThanOrEqual(run.flow.settings.maxStepsPerTurn + 2);
  for (const message of outbound) expect(typeof message.text).toBe('string');

  const conversation = state.conversation;
  if (conversation !== null) {
    expect(STATUSES).toContain(conversation.status);
    if (conversation.status === 'active') {
      expect(conversation.wait).not.toBeNull();
      const wait = conversation.wait as NonNullable<typeof conversation.wait>;
      const node = run.flow.index.nodeById.get(wait.nodeId);
      expect(node, `waiting on ${wait.nodeId}`).toBeDefined();
      expect(node?.type).toBe(WAITS_ON[wait.kind]);
    } else {
      expect(conversation.wait).toBeNull();
    }
  }
  const next = nextTimerAt(run.flow, state);
  if (next !== null) expect(Number.isFinite(next)).toBe(true);
  for (const effect of effects) if (effect.type === 'http_request') run.requests.push(effect.requestId);
  return result as StepResult;
}

function play(doc: Json, actions: Action[], options: EngineOptions): void {
  const run: Run = {
    flow: compileFlow(doc),
    state: initialState({ name: 'Ana', phone: '+15550100001' }),
    now: START,
    seq: 0,
    requests: [],
  };
  for (const action of actions) {
    advanceClock(run, action);
    const event = eventFor(run, action);
    run.state = checkStep(run, event, options).state;
  }
}

describe('step on random conversations (fuzz)', { timeout: 30_000 * Math.max(SCALE, 1) }, () => {
  it('keeps its properties on the fixtures', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.array(actionArb, { minLength: 1, maxLength: 30, size: 'medium' }),
        fc.boolean(),
        (doc, actions, inlineDelays) => play(doc, actions, { inlineDelays }),
      ),
      runs(200),
    );
  });

  it('keeps its properties on edited flows', () => {
    fc.assert(
      fc.property(
        validFlowArb,
        fc.array(actionArb, { minLength: 1, maxLength: 30, size: 'medium' }),
        fc.boolean(),
        (doc, actions, inlineDelays) => play(doc, actions, { inlineDelays }),
      ),
      runs(400),
    );
  });

  it('stores an answer under any variable name the validator accepts', () => {
    const name = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        'valueOf',
        '_',
        'contact',
        'flow',
      ),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
    );
    fc.assert(
      fc.property(name, coordinate(90), coordinate(180), (variable, lat, lng) => {
        const doc: Json = {
          schemaVersion: 1,
          name: 'Where',
          triggers: [{ id: 't1', type: 'any_message', target: 'q' }],
          nodes: [
            {
              id: 'q',
              type: 'question',
              config: { prompt: 'Where?', variable, answer: { type: 'object' }, accept: 'location' },
            },
            { id: 'done', type: 'end', config: { text: `{{${variable}.lat}}` } },
          ],
          edges: [{ id: 'e1', source: 'q', sourceHandle: 'next', target: 'done' }],
        };
        fc.pre(validateFlow(doc).errors.length === 0);
        const flow = compileFlow(doc);
        const started = step(flow, initialState(), { type: 'message', id: 'm1', text: 'hi' }, START);
        const answered = step(
          flow,
          started.state,
          { type: 'message', id: 'm2', location: { lat, lng } },
          START,
        );
        const variables = answered.state.conversation?.variables ?? {};
        const ended = answered.effects.find((effect) => effect.type === 'conversation_ended');
        expect(Object.hasOwn(variables, variable)).toBe(true);
        expect(variables[variable]).toEqual({ lat, lng });
        expect(ended?.type === 'conversation_ended' && Object.hasOwn(ended.answers, variable)).toBe(true);
        // `{{contact.…}}` and `{{flow.…}}` read the contact and the flow, whatever the variables.
        const shadowed = variable === 'contact' || variable === 'flow';
        if (!shadowed) expect(answered.outbound.map((message) => message.text)).toEqual([String(lat)]);
      }),
      runs(100),
    );
  });

  it('never sends more than the step limit allows, however the flow loops', () => {
    // Every node a message, chained into a loop: the guard must stop each turn.
    const loop = (size: number, maxStepsPerTurn: number): Json => ({
      schemaVersion: 1,
      name: 'Loop',
      settings: { maxStepsPerTurn, expiredText: 'Expired.', sessionTimeoutMinutes: 1 },
      triggers: [{ id: 't1', type: 'any_message', target: 'n0' }],
      nodes: Array.from({ length: size }, (_, i) =>
        i === size - 1
          ? { id: `n${i}`, type: 'delay', config: { seconds: 1e-9 } }
          : { id: `n${i}`, type: 'message', config: { text: `m${i}` } },
      ),
      edges: Array.from({ length: size }, (_, i) => ({
        id: `e${i}`,
        source: `n${i}`,
        sourceHandle: 'next',
        target: `n${(i + 1) % size}`,
      })),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(actionArb, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (size, maxSteps, actions, inlineDelays) => play(loop(size, maxSteps), actions, { inlineDelays }),
      ),
      runs(100),
    );
  });
});
