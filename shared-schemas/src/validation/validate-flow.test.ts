import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyMessage,
  END,
  edge,
  expectNoDuplicates,
  expectReadable,
  flow,
  node,
  pairs,
  question,
  scenarioFlows,
} from '../__fixtures__/flows.js';
import { validateFlow } from './validate-flow.js';

const errors = (input: unknown) => pairs(validateFlow(input).errors);

/** A small valid flow: trigger → ask email → end. */
function emailFlow() {
  return flow({
    triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'ask' }],
    nodes: [question('ask', 'email', { type: 'string', format: 'email' }), END],
    edges: [edge('e1', 'ask', 'next', 'done'), edge('e2', 'ask', 'invalid', 'done')],
  });
}

describe('validateFlow on valid documents', () => {
  it.each(scenarioFlows())('accepts the scenario $file with no errors', ({ flow: doc }) => {
    const result = validateFlow(doc);
    expect(result.errors).toEqual([]);
    expect(result.document).toBe(doc);
  });

  it('returns the document only when there are no errors', () => {
    const valid = emailFlow();
    expect(validateFlow(valid)).toEqual({ errors: [], warnings: [], document: valid });
    const invalid = { ...emailFlow(), name: '' };
    expect(validateFlow(invalid).document).toBeUndefined();
  });

  it('still returns the document when there are only warnings', () => {
    const doc = flow({ triggers: [anyMessage('a')], nodes: [node('a', 'message', { text: '{{who}}' })] });
    const result = validateFlow(doc);
    expect(result.errors).toEqual([]);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.document).toBe(doc);
  });
});

describe('document-level errors', () => {
  it('reports a missing name at the root pointer', () => {
    const { name: _, ...doc } = emailFlow();
    expect(errors(doc)).toEqual([['/', '“name” is required.']]);
  });

  it.each([2, 0, '1', null])('reports schemaVersion %j once, in words', (version) => {
    expect(errors({ ...emailFlow(), schemaVersion: version })).toEqual([
      ['/schemaVersion', 'This file is not a Parley Flow Document v1.'],
    ]);
  });

  it('reports every missing top-level part', () => {
    expect(errors({})).toEqual(
      ['schemaVersion', 'name', 'triggers', 'nodes', 'edges'].map((field) => [
        '/',
        `“${field}” is required.`,
      ]),
    );
  });

  it('reports an unknown top-level property at the property', () => {
    expect(errors({ ...emailFlow(), author: 'me' })).toEqual([
      ['/author', '“author” is not a known setting here. Remove it or check its spelling.'],
    ]);
  });

  it('escapes an unknown property name in its pointer', () => {
    expect(errors({ ...emailFlow(), 'a/b~c': 1 }).map(([pointer]) => pointer)).toEqual(['/a~1b~0c']);
  });

  it('reports ill-typed settings', () => {
    const doc = {
      ...emailFlow(),
      settings: { sessionTimeoutMinutes: '30', defaultCountry: 'usa', reminder: { text: 'Still there?' } },
    };
    expect(errors(doc)).toEqual([
      ['/settings/sessionTimeoutMinutes', 'Must be a number.'],
      ['/settings/reminder', '“afterMinutes” is required.'],
      ['/settings/defaultCountry', 'Use a two-letter country code such as US, BR or DE.'],
    ]);
  });

  it('reports a default country phone numbers are not known for', () => {
    expect(errors({ ...emailFlow(), settings: { defaultCountry: 'ZZ' } })).toEqual([
      ['/settings/defaultCountry', '“ZZ” is not a country phone numbers are known for.'],
    ]);
  });

  it('reports triggers of unknown type, and keyword triggers without keywords', () => {
    const doc = {
      ...emailFlow(),
      triggers: [
        { id: 't1', type: 'button', target: 'ask' },
        { id: 't2', type: 'keyword', target: 'ask' },
        { id: 't3', type: 'keyword', keywords: [], target: 'ask' },
        { id: 't4', type: 'keyword', keywords: ['hi'], match: 'fuzzy', target: 'ask' },
        { id: 't5', type: 'any_message', keywords: ['hi'], target: 'ask' },
      ],
    };
    expect(errors(doc)).toEqual([
      ['/triggers/0/type', 'Trigger type must be keyword or any_message.'],
      ['/triggers/1', '“keywords” is required.'],
      ['/triggers/2/keywords', 'Needs at least 1 item.'],
      ['/triggers/3/match', 'Must be one of: "exact", "contains", "regex".'],
      ['/triggers/4/keywords', '“keywords” is not a known setting here. Remove it or check its spelling.'],
    ]);
  });

  it('reports an edge without sourceHandle at the edge', () => {
    const doc = emailFlow();
    doc.edges = [{ id: 'e1', source: 'ask', target: 'done' }];
    expect(errors(doc)).toEqual([['/edges/0', '“sourceHandle” is required.']]);
  });

  it('reports an empty sourceHandle at the field', () => {
    const doc = emailFlow();
    doc.edges = [edge('e1', 'ask', '', 'done')];
    expect(errors(doc)).toEqual([['/edges/0/sourceHandle', 'Must not be empty.']]);
  });
});

describe('node-level structural errors', () => {
  const withNodes = (...nodes: unknown[]) => flow({ nodes });

  it('reports an unknown node type, listing the known ones', () => {
    expect(errors(withNodes(node('x', 'carousel', {})))).toEqual([
      [
        '/nodes/0/type',
        'Unknown node type. Known types: message, question, condition, set_variable, http_request, delay, jump, handoff, end, ai_reply, ai_extract, ai_classify.',
      ],
    ]);
  });

  it('reports a node without config or id', () => {
    expect(errors(withNodes({ id: 'x', type: 'end' }, { type: 'end', config: {} }))).toEqual([
      ['/nodes/0', '“config” is required.'],
      ['/nodes/1', '“id” is required.'],
    ]);
  });

  it('reports an unknown condition op, however deep the rule', () => {
    const config = {
      branches: [
        {
          id: 'b1',
          when: { all: [{ var: 'a', op: 'is_set' }, { any: [{ var: 'a', op: 'startsWith', value: 'x' }] }] },
        },
      ],
    };
    expect(errors(withNodes(node('c', 'condition', config)))).toEqual([
      [
        '/nodes/0/config/branches/0/when/all/1/any/0/op',
        'Unknown comparison. Use one of: eq, neq, contains, gt, gte, lt, lte, in, is_set, is_empty, matches.',
      ],
    ]);
  });

  it('reports condition rules that need a value, a list or a valid pattern', () => {
    const rule = (id: string, op: string, value?: unknown) => ({
      id,
      when: { all: [{ var: 'a', op, ...(value === undefined ? {} : { value }) }] },
    });
    const config = {
      branches: [
        rule('b1', 'eq'),
        rule('b2', 'in', 'x'),
        rule('b3', 'matches', 5),
        rule('b4', 'matches', '[a-'),
      ],
    };
    expect(errors(withNodes(node('c', 'condition', config)))).toEqual([
      ['/nodes/0/config/branches/0/when/all/0', '“is” needs a value to compare with.'],
      [
        '/nodes/0/config/branches/1/when/all/0/value',
        '“is one of” needs at least one value to compare with.',
      ],
      ['/nodes/0/config/branches/2/when/all/0/value', '“matches pattern” needs a pattern, written as text.'],
      ['/nodes/0/config/branches/3/when/all/0/value', "This pattern can't be used: a “[” is never closed."],
    ]);
  });

  it('reports a `matches` pattern RE2 cannot run, in plain words', () => {
    const config = {
      branches: [
        {
          id: 'b1',
          when: {
            any: [
              { var: 'a', op: 'eq', value: 1 },
              { var: 'a', op: 'matches', value: '^(\\w)\\1$' },
            ],
          },
        },
      ],
    };
    expect(errors(withNodes(node('c', 'condition', config), question('q', 'a')))).toEqual([
      [
        '/nodes/0/config/branches/0/when/any/1/value',
        "This pattern can't be used: backreferences like \\1 are not supported. Repeat the part itself instead.",
      ],
    ]);
  });

  it('accepts is_set and is_empty without a value', () => {
    const config = {
      branches: [
        {
          id: 'b',
          when: {
            any: [
              { var: 'a', op: 'is_set' },
              { var: 'a', op: 'is_empty' },
            ],
          },
        },
      ],
    };
    expect(errors(withNodes(node('c', 'condition', config), question('q', 'a')))).toEqual([]);
  });

  it('reports a bad regex in a regex keyword trigger, per keyword', () => {
    const doc = {
      ...emailFlow(),
      triggers: [
        { id: 't1', type: 'keyword', keywords: ['^hi$', '(oops', 'a{2,1}'], match: 'regex', target: 'ask' },
      ],
    };
    expect(errors(doc)).toEqual([
      ['/triggers/0/keywords/1', "This pattern can't be used: a “(” is never closed."],
      [
        '/triggers/0/keywords/2',
        "This pattern can't be used: the repeat count “{2,1}” is not valid: counts go up to 1000, the smaller number first.",
      ],
    ]);
  });

  it('reports a trigger pattern RE2 cannot run (lookaround), valid JavaScript or not', () => {
    const doc = {
      ...emailFlow(),
      triggers: [
        {
          id: 't1',
          type: 'keyword',
          keywords: ['^(hi|hello)\\b', '^(?!stop)', '(?<=re)start'],
          match: 'regex',
          target: 'ask',
        },
      ],
    };
    expect(errors(doc)).toEqual([
      [
        '/triggers/0/keywords/1',
        "This pattern can't be used: lookaheads like (?=…) and (?!…) are not supported. Describe the text itself instead.",
      ],
      [
        '/triggers/0/keywords/2',
        "This pattern can't be used: lookbehinds like (?<=…) and (?<!…) are not supported. Describe the text itself instead.",
      ],
    ]);
  });

  it('does not read keywords as patterns unless match is regex', () => {
    const doc = {
      ...emailFlow(),
      triggers: [{ id: 't1', type: 'keyword', keywords: ['(oops'], match: 'contains', target: 'ask' }],
    };
    expect(errors(doc)).toEqual([]);
  });

  it('reports a message with neither text nor media at its config', () => {
    expect(errors(withNodes(node('m', 'message', {})))).toEqual([
      ['/nodes/0/config', 'A message needs a text, an attachment, or both.'],
    ]);
    expect(
      errors(
        withNodes(node('m', 'message', { media: { url: 'https://x.example/a.pdf', kind: 'document' } })),
      ),
    ).toEqual([]);
  });
});

describe('answer schema fragments', () => {
  const answerErrors = (answer: unknown, extra = {}) =>
    errors(flow({ nodes: [question('q', 'v', answer, extra)] }));

  it('accepts real JSON Schema fragments', () => {
    expect(answerErrors({ type: 'string', minLength: 2, maxLength: 40, pattern: '^[a-z]+$' })).toEqual([]);
    expect(answerErrors({ type: 'integer', minimum: 1, maximum: 5 })).toEqual([]);
    expect(answerErrors({ type: 'string', format: 'phone' })).toEqual([]);
    expect(
      answerErrors({ type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true }),
    ).toEqual([]);
  });

  it('reports an ill-typed keyword at that keyword', () => {
    expect(answerErrors({ type: 'string', minLength: 'x' })).toEqual([
      [
        '/nodes/0/config/answer/minLength',
        'The answer settings are not valid: “minLength” must be a whole number.',
      ],
    ]);
    expect(answerErrors({ type: 'string', minLength: -1 })).toEqual([
      [
        '/nodes/0/config/answer/minLength',
        'The answer settings are not valid: “minLength” must be at least 0.',
      ],
    ]);
  });

  it('reports a nested ill-typed keyword at its path', () => {
    const [only, ...rest] = answerErrors({ type: 'object', properties: { a: { type: 'strin' } } });
    expect(rest).toEqual([]);
    expect(only?.[0]).toBe('/nodes/0/config/answer/properties/a/type');
    expect(only?.[1]).toMatch(/^The answer settings are not valid: “properties\.a\.type” must be one of: /);
  });

  it('reports an unknown keyword', () => {
    expect(answerErrors({ type: 'string', minLenght: 2 })).toEqual([
      [
        '/nodes/0/config/answer/minLenght',
        'The answer settings are not valid: “minLenght” is not a known answer setting. Remove it or check its spelling.',
      ],
    ]);
    expect(answerErrors({ type: 'array', items: { type: 'string', colour: 'red' } })).toEqual([
      [
        '/nodes/0/config/answer',
        'The answer settings are not valid: “colour” is not a known answer setting. Remove it or check its spelling.',
      ],
    ]);
  });

  it('reports an unknown format and an invalid pattern', () => {
    expect(answerErrors({ type: 'string', format: 'zipcode' })).toEqual([
      [
        '/nodes/0/config/answer/format',
        'The answer settings are not valid: “zipcode” is not a known format.',
      ],
    ]);
    expect(answerErrors({ type: 'string', pattern: '(' })).toEqual([
      [
        '/nodes/0/config/answer/pattern',
        "The answer settings are not valid: the pattern “(” can't be used: a “(” is never closed.",
      ],
    ]);
  });

  it('reports a pattern RE2 cannot run where it is, nested ones too', () => {
    expect(answerErrors({ type: 'string', pattern: '^(?=.*\\d).{8,}$' })).toEqual([
      [
        '/nodes/0/config/answer/pattern',
        "The answer settings are not valid: the pattern “^(?=.*\\d).{8,}$” can't be used: lookaheads like (?=…) and (?!…) are not supported. Describe the text itself instead.",
      ],
    ]);
    expect(answerErrors({ type: 'array', items: { type: 'string', pattern: '(a)\\1' } })).toEqual([
      [
        '/nodes/0/config/answer/items/pattern',
        "The answer settings are not valid: the pattern “(a)\\1” can't be used: backreferences like \\1 are not supported. Repeat the part itself instead.",
      ],
    ]);
    expect(
      answerErrors({ type: 'object', patternProperties: { '^a/\\u0041$': { type: 'string' } } }),
    ).toEqual([
      [
        '/nodes/0/config/answer/patternProperties/^a~1\\u0041$',
        "The answer settings are not valid: the pattern “^a/\\u0041$” can't be used: write a character by its code as \\x{00E9}, not \\u00E9.",
      ],
    ]);
  });

  it('accepts RE2 patterns, and reads data keywords as data', () => {
    expect(answerErrors({ type: 'string', pattern: '^([a-zA-Z]+ ?)+$' })).toEqual([]);
    expect(answerErrors({ type: 'string', pattern: '^\\p{L}+(?i)x\\x{00E9}$' })).toEqual([]);
    expect(
      answerErrors({
        type: 'object',
        properties: { pattern: { type: 'string' } },
        default: { pattern: '(?=' },
        examples: [{ pattern: '(?=' }],
      }),
    ).toEqual([]);
  });

  it('reports a choice value the answer schema rejects', () => {
    const choices = [
      { id: 'c1', label: 'Basic', value: 'basic' },
      { id: 'c2', label: 'Gold', value: 'gold' },
    ];
    expect(answerErrors({ type: 'string', enum: ['basic', 'pro'] }, { choices })).toEqual([
      ['/nodes/0/config/choices/1/value', 'The answer settings do not accept the value “gold”.'],
    ]);
    expect(answerErrors({ type: 'number' }, { choices })).toEqual([
      ['/nodes/0/config/choices/0/value', 'The answer settings do not accept the value “basic”.'],
      ['/nodes/0/config/choices/1/value', 'The answer settings do not accept the value “gold”.'],
    ]);
  });

  it('checks a multi-choice value as one item of the stored list', () => {
    const answer = { type: 'array', items: { type: 'string', enum: ['cheese', 'ham'] } };
    const choices = [
      { id: 'c1', label: 'Cheese', value: 'cheese' },
      { id: 'c2', label: 'Olives', value: 'olives' },
    ];
    expect(answerErrors(answer, { choices })).toEqual([
      ['/nodes/0/config/choices/1/value', 'The answer settings do not accept the value “olives”.'],
    ]);
  });

  it('reports media and location questions that cannot work', () => {
    expect(answerErrors({ type: 'string' }, { accept: 'media' })).toEqual([
      [
        '/nodes/0/config/answer/type',
        'A question that takes a file or photo saves it whole. Pick “File or photo” as its answer type again.',
      ],
    ]);
    expect(
      answerErrors(
        { type: 'object' },
        { accept: 'location', choices: [{ id: 'c', label: 'A', value: 'a' }] },
      ),
    ).toEqual([
      ['/nodes/0/config/choices/0/value', 'The answer settings do not accept the value “a”.'],
      [
        '/nodes/0/config/choices',
        'A question that takes a location cannot have choices. Pick “Location” as its answer type again.',
      ],
    ]);
    expect(answerErrors({ type: 'string' }, { render: 'poll' })).toEqual([
      ['/nodes/0/config/render', 'A poll needs choices.'],
    ]);
  });
});

describe('robustness', () => {
  const GARBAGE: unknown[] = [
    null,
    undefined,
    0,
    42,
    Number.NaN,
    '',
    'flow',
    true,
    [],
    [1, 2],
    {},
    { schemaVersion: 1, name: 'x', triggers: 'a', nodes: 5, edges: null },
    { schemaVersion: 1, name: 'x', triggers: [null, 1, 'x'], nodes: [null, [], { id: 1 }], edges: [{}, 'x'] },
    {
      schemaVersion: 1,
      name: 'x',
      triggers: [{ id: 't', type: 'keyword', keywords: [null], match: 'regex', target: 5 }],
      nodes: [
        { id: 'a', type: 'question', config: { prompt: 'p', variable: 'v', answer: null } },
        {
          id: 'b',
          type: 'question',
          config: { prompt: 'p', variable: 'v', answer: { type: 'string' }, choices: 'x' },
        },
        { id: 'c', type: 'condition', config: { branches: [null, { id: 'b', when: null }] } },
        { id: 'd', type: 'http_request', config: { url: 'https://x', headers: [] } },
        { id: 'e', type: 'jump', config: { target: null } },
        { id: 'f', type: 'message', config: { media: 'x' } },
      ],
      edges: [{ id: 'e', source: 5, sourceHandle: [], target: {} }],
    },
  ];

  it.each(GARBAGE.map((input) => [input]))('never throws on %j', (input) => {
    const result = validateFlow(input);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.document).toBeUndefined();
    expectNoDuplicates(result.errors);
    for (const problem of result.errors) expectReadable(problem.message);
  });

  it('reports a non-object document at the root', () => {
    for (const input of [null, 7, 'x', []])
      expect(errors(input)).toEqual([['/', 'Must be an object ({…}).']]);
  });

  it('survives deeply nested junk', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 20_000; i += 1) deep = [deep];
    const doc = flow({
      nodes: [
        question('q', 'v', { type: 'string', enum: [deep] }),
        node('c', 'condition', {
          branches: [{ id: 'b', when: { all: [{ var: 'v', op: 'eq', value: deep }] } }],
        }),
        node('e', 'end', { text: deep }),
      ],
      junk: deep,
    });
    const result = validateFlow(doc);
    expect(pairs(result.errors)).toEqual([
      ['/junk', '“junk” is not a known setting here. Remove it or check its spelling.'],
      ['/nodes/2/config/text', 'Must be text.'],
      ['/nodes/0/config/answer', 'The answer settings are not valid: they are nested too deeply.'],
    ]);
  });

  it('reports groups nested beyond the supported depth as an error, not a crash', () => {
    let when: unknown = { all: [{ var: 'v', op: 'is_set' }] };
    for (let i = 0; i < 50; i += 1) when = { any: [when] };
    const result = validateFlow(flow({ nodes: [node('c', 'condition', { branches: [{ id: 'b', when }] })] }));
    expect(result.errors.length).toBeGreaterThan(0);
    expectNoDuplicates(result.errors);
  });

  it('never throws, duplicates or leaks jargon when any part of a valid flow is replaced by junk', () => {
    const flows = scenarioFlows().map(({ flow: doc }) => doc);
    fc.assert(
      fc.property(
        fc.nat({ max: flows.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.anything(),
        (which, path, junk) => {
          const doc = structuredClone(flows[which]) as unknown;
          replaceAt(doc, path, junk);
          const result = validateFlow(doc);
          expectNoDuplicates(result.errors);
          expectNoDuplicates(result.warnings);
          for (const problem of [...result.errors, ...result.warnings]) {
            expect(problem.pointer).toMatch(/^\//);
            expectReadable(problem.message);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** Walks down `path` (each step picks a child by index modulo the count) and replaces what it reaches. */
function replaceAt(root: unknown, path: number[], junk: unknown): void {
  let parent = root as Record<string, unknown>;
  for (const [depth, step] of path.entries()) {
    const keys = Object.keys(parent);
    if (keys.length === 0) return;
    const key = keys[step % keys.length] as string;
    const child = parent[key];
    if (depth === path.length - 1 || child === null || typeof child !== 'object') {
      parent[key] = junk;
      return;
    }
    parent = child as Record<string, unknown>;
  }
}

describe('flow settings for reading answers', () => {
  const withSettings = (settings: Record<string, unknown>) => ({ ...emailFlow(), settings });

  it('accepts a known locale and time zone', () => {
    const result = validateFlow(withSettings({ locale: 'pt-BR', timeZone: 'America/Sao_Paulo' }));
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((problem) => problem.pointer.startsWith('/settings'))).toEqual([]);
  });

  it('refuses an unknown time zone, in plain words', () => {
    const result = validateFlow(withSettings({ timeZone: 'Mars/Olympus' }));
    expect(result.errors).toEqual([
      expect.objectContaining({
        pointer: '/settings/timeZone',
        message: expect.stringContaining('Europe/Berlin'),
      }),
    ]);
  });

  it('only warns about an unknown locale, which flows could carry before it was read', () => {
    const result = validateFlow(withSettings({ locale: 'not a locale!' }));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ pointer: '/settings/locale' }));
  });
});
