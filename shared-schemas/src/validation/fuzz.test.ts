/**
 * Property tests: whatever it is given, `validateFlow` answers (never throws) with problems that point
 * at real places of the input and say something.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NODE_TYPES, nodeDefinitions } from '../nodes/registry.js';
import { fixtureFlows, type Json, mutatedFlowArb, randomValue } from './fixtures/mutate.js';
import type { Problem } from './problem.js';
import { type ValidationResult, validateFlow } from './validate-flow.js';

/** `FUZZ_SCALE=50 npx vitest run …` searches longer; `FUZZ_SEED=n` replays a run. */
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = process.env.FUZZ_SEED === undefined ? {} : { seed: Number(process.env.FUZZ_SEED) };
const runs = (numRuns: number) => ({ numRuns: Math.round(numRuns * SCALE), ...SEED });
const RUNS = runs(300);
const FIXTURES = fixtureFlows().map(({ flow }) => flow);

/** The value a JSON pointer designates, or `missing`. */
const MISSING = Symbol('missing');
function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token) || Number(token) >= current.length) return MISSING;
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return MISSING;
    }
  }
  return current;
}

const POINTER = /^(\/([^~/]|~[01])*)+$/;

function checkProblem(input: unknown, problem: Problem, severity: Problem['severity'], text: string): void {
  expect(problem.severity).toBe(severity);
  expect(typeof problem.message).toBe('string');
  expect(problem.message.trim()).not.toBe('');
  if (!text.includes('[object Object]')) expect(problem.message).not.toContain('[object Object]');
  if (problem.pointer === '/') return;
  expect(problem.pointer).toMatch(POINTER);
  const here = resolvePointer(input, problem.pointer);
  if (here !== MISSING) return;
  // A missing field is reported where it should be: its parent must exist.
  const parent = problem.pointer.slice(0, problem.pointer.lastIndexOf('/'));
  expect(resolvePointer(input, parent), `${problem.pointer}: ${problem.message}`).not.toBe(MISSING);
}

function safeText(input: unknown): string {
  try {
    return JSON.stringify(input) ?? '';
  } catch {
    return '';
  }
}

/** Validates `input` and checks every property of the result; returns it for further checks. */
function checkValidation(input: unknown): ValidationResult {
  const before = structuredClone(input);
  let result: ValidationResult | undefined;
  expect(() => {
    result = validateFlow(input);
  }).not.toThrow();
  const { errors, warnings, document } = result as ValidationResult;
  expect(Array.isArray(errors)).toBe(true);
  expect(Array.isArray(warnings)).toBe(true);
  const text = safeText(input);
  for (const problem of errors) checkProblem(input, problem, 'error', text);
  for (const problem of warnings) checkProblem(input, problem, 'warning', text);
  if (errors.length === 0) {
    expect(document).toBe(input);
  } else {
    expect(result).not.toHaveProperty('document');
  }
  // Validation reads its input, never changes it, and says the same thing twice.
  expect(input).toEqual(before);
  expect(validateFlow(input)).toStrictEqual(result);
  return result as ValidationResult;
}

// ---------------------------------------------------------------------------------------------
// Documents shaped like Flow Documents, with wrong types anywhere

const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary }, { weight: 1, arbitrary: randomValue });

const ids = fc.constantFrom('n1', 'n2', 'n3', 't1', 'e1', 'c1', 'b1');
const CONFIG_KEYS = [
  ...new Set(
    NODE_TYPES.flatMap((type) =>
      Object.keys((nodeDefinitions[type].configSchema as { properties?: object }).properties ?? {}),
    ),
  ),
];

const configArb = fc.oneof(
  fc.constantFrom(...NODE_TYPES).map((type) => nodeDefinitions[type].defaults() as unknown),
  fc.dictionary(fc.constantFrom(...CONFIG_KEYS, 'extra'), randomValue, { maxKeys: 5 }),
  randomValue,
);

const nodeArb = fc.record(
  {
    id: maybe(ids),
    type: maybe(fc.constantFrom(...NODE_TYPES)),
    position: maybe(fc.record({ x: maybe(fc.integer()), y: maybe(fc.integer()) })),
    config: configArb,
    label: randomValue,
  },
  { requiredKeys: [] },
);

const triggerArb = fc.record(
  {
    id: maybe(ids),
    type: maybe(fc.constantFrom('keyword', 'any_message')),
    keywords: maybe(fc.array(maybe(fc.string()), { maxLength: 3 })),
    match: maybe(fc.constantFrom('exact', 'contains', 'regex')),
    interrupt: maybe(fc.boolean()),
    target: maybe(ids),
  },
  { requiredKeys: [] },
);

const edgeArb = fc.record(
  {
    id: maybe(ids),
    source: maybe(ids),
    sourceHandle: maybe(fc.constantFrom('next', 'else', 'invalid', 'success', 'failure', 'c1', 'b1')),
    target: maybe(ids),
  },
  { requiredKeys: [] },
);

const settingsArb = fc.record(
  {
    sessionTimeoutMinutes: randomValue,
    fallbackText: randomValue,
    maxStepsPerTurn: randomValue,
    reminder: maybe(fc.record({ afterMinutes: randomValue, text: randomValue }, { requiredKeys: [] })),
    expiredText: randomValue,
    defaultCountry: maybe(fc.constantFrom('US', 'BR', 'XX', 'zz')),
    locale: randomValue,
  },
  { requiredKeys: [] },
);

const flowShapedArb = fc.record(
  {
    schemaVersion: maybe(fc.constant(1)),
    name: maybe(fc.string({ maxLength: 10 })),
    settings: maybe(settingsArb),
    triggers: maybe(fc.array(maybe(triggerArb), { maxLength: 3 })),
    nodes: maybe(fc.array(maybe(nodeArb), { maxLength: 5 })),
    edges: maybe(fc.array(maybe(edgeArb), { maxLength: 5 })),
    extra: randomValue,
  },
  { requiredKeys: [] },
);

describe('validateFlow on anything (fuzz)', { timeout: 30_000 * Math.max(SCALE, 1) }, () => {
  it('accepts the fixtures without errors', () => {
    for (const flow of FIXTURES) expect(checkValidation(flow).errors).toEqual([]);
  });

  it('handles random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        checkValidation(input);
      }),
      RUNS,
    );
  });

  it('handles random JavaScript values', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (input) => {
        checkValidation(input);
      }),
      RUNS,
    );
  });

  it('handles objects shaped like Flow Documents with wrong types everywhere', () => {
    fc.assert(
      fc.property(flowShapedArb, (input) => {
        checkValidation(input);
      }),
      RUNS,
    );
  });

  it('handles mutations of valid flows', () => {
    fc.assert(
      fc.property(mutatedFlowArb(FIXTURES), (input) => {
        checkValidation(input);
      }),
      runs(600),
    );
  });

  it('judges answer settings on their own, whatever was validated before', () => {
    const withAnswer = (answer: Json): Json => ({
      schemaVersion: 1,
      name: 'One question',
      triggers: [{ id: 't1', type: 'any_message', target: 'q' }],
      nodes: [{ id: 'q', type: 'question', config: { prompt: 'Name?', variable: 'name', answer } }],
      edges: [],
    });
    const messages = (doc: Json) => validateFlow(doc).errors.map((problem) => problem.message);
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^[a-z]{1,8}$/), fc.webUrl()),
        fc.integer({ min: 1, max: 50 }),
        (id, length) => {
          const reference = withAnswer({ type: 'string', $ref: id });
          const before = messages(reference);
          expect(messages(withAnswer({ type: 'string', $id: id, minLength: length }))).toEqual([]);
          // Another answer may use the same $id, and no flow can reach the first one by $ref.
          expect(messages(withAnswer({ type: 'string', $id: id, maxLength: length }))).toEqual([]);
          expect(messages(reference)).toEqual(before);
          expect(before).not.toEqual([]);
        },
      ),
      runs(30),
    );
  });

  it('keeps outcomes apart whatever spaces the ids hold', () => {
    const word = fc.stringMatching(/^[a-z0-9]{1,4}$/);
    const condition = (id: string, branch: string): Json => ({
      id,
      type: 'condition',
      config: { branches: [{ id: branch, when: { all: [{ var: 'x', op: 'is_set' }] } }] },
    });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        // Node "a" leaves by "b c", node "a b" by "c": two outcomes, each connected once.
        const doc: Json = {
          schemaVersion: 1,
          name: 'Spaces',
          triggers: [
            { id: 't1', type: 'any_message', target: a },
            { id: 't2', type: 'keyword', keywords: ['two'], target: `${a} ${b}` },
          ],
          nodes: [
            condition(a, `${b} ${c}`),
            condition(`${a} ${b}`, c),
            { id: 'end', type: 'end', config: {} },
          ],
          edges: [
            { id: 'e1', source: a, sourceHandle: `${b} ${c}`, target: 'end' },
            { id: 'e2', source: `${a} ${b}`, sourceHandle: c, target: 'end' },
          ],
        };
        expect(checkValidation(doc).errors).toEqual([]);
      }),
      runs(50),
    );
  });

  it('reports every duplicated node or edge as an error at its id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.constantFrom('nodes', 'edges'),
        fc.nat(),
        (flow: Json, kind, index) => {
          const list = structuredClone(flow[kind]) as unknown[];
          const at = index % list.length;
          list.push(structuredClone(list[at]));
          const { errors } = checkValidation({ ...flow, [kind]: list });
          expect(errors.map((problem) => problem.pointer)).toContain(`/${kind}/${list.length - 1}/id`);
        },
      ),
      runs(100),
    );
  });
});
