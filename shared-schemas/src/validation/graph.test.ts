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
} from '../__fixtures__/flows.js';
import { validateFlow } from './validate-flow.js';

const errors = (input: unknown) => pairs(validateFlow(input).errors);
const warnings = (input: unknown) => pairs(validateFlow(input).warnings);

/** trigger t1 → ask (question “name”) → done (end). Valid, no warnings. */
function base(extra: { nodes?: unknown[]; edges?: unknown[]; triggers?: unknown[] } = {}) {
  return flow({
    triggers: [anyMessage('ask'), ...(extra.triggers ?? [])],
    nodes: [question('ask', 'name'), END, ...(extra.nodes ?? [])],
    edges: [edge('e1', 'ask', 'next', 'done'), ...(extra.edges ?? [])],
  });
}

describe('graph errors', () => {
  it('accepts the base flow without problems', () => {
    expect(validateFlow(base())).toMatchObject({ errors: [], warnings: [] });
  });

  it('reports a duplicate node id at the later node', () => {
    expect(errors(base({ nodes: [node('ask', 'end', {})] }))).toEqual([
      [
        '/nodes/2/id',
        'This block is a copy that shares its identity with another block, so connections cannot tell them apart. Delete it and add it again.',
      ],
    ]);
  });

  it('reports a duplicate edge id at the later edge', () => {
    const doc = base({ nodes: [node('oops', 'end', {})], edges: [edge('e1', 'ask', 'invalid', 'oops')] });
    expect(errors(doc)).toEqual([
      ['/edges/1/id', 'This connection is a copy of another one. Delete it and connect the blocks again.'],
    ]);
  });

  it('reports a duplicate trigger id at the later trigger', () => {
    expect(errors(base({ triggers: [anyMessage('ask')] }))).toEqual([
      ['/triggers/1/id', 'This start is a copy of another one. Delete it and add the start again.'],
    ]);
  });

  it('reports each duplicate once, however many copies there are', () => {
    const doc = base({ nodes: [node('done', 'end', {}), node('done', 'end', {})] });
    expect(errors(doc)).toEqual([
      [
        '/nodes/2/id',
        'This block is a copy that shares its identity with another block, so connections cannot tell them apart. Delete it and add it again.',
      ],
      [
        '/nodes/3/id',
        'This block is a copy that shares its identity with another block, so connections cannot tell them apart. Delete it and add it again.',
      ],
    ]);
  });

  it('reports an edge from and to a node that does not exist', () => {
    expect(errors(base({ edges: [edge('e2', 'ghost', 'next', 'phantom')] }))).toEqual([
      ['/edges/1/source', 'This connection starts at a block that no longer exists. Delete the connection.'],
      [
        '/edges/1/target',
        'This connection leads to a block that no longer exists. Connect it to another block.',
      ],
    ]);
  });

  it('reports an edge from a handle the node does not have, naming the ones it has', () => {
    expect(errors(base({ edges: [edge('e2', 'ask', 'yes', 'done')] }))).toEqual([
      [
        '/edges/1/sourceHandle',
        'A connection leaves Question “Your name?” from an outcome it no longer has (a removed choice or branch). Delete the connection, or connect one of its outcomes instead.',
      ],
    ]);
    expect(errors(base({ edges: [edge('e2', 'done', 'next', 'ask')] }))).toEqual([
      ['/edges/1/sourceHandle', 'End has no outcomes, so nothing can follow it. Delete this connection.'],
    ]);
  });

  it('does not offer a multi-choice question’s choice ids as outcomes', () => {
    const multi = question(
      'pick',
      'toppings',
      { type: 'array', items: { type: 'string' } },
      { choices: [{ id: 'c1', label: 'Ham', value: 'ham' }] },
    );
    const doc = base({ nodes: [multi], edges: [edge('e2', 'pick', 'c1', 'done')] });
    expect(errors(doc)).toEqual([
      [
        '/edges/1/sourceHandle',
        'A connection leaves Question “Your toppings?” from an outcome it no longer has (a removed choice or branch). Delete the connection, or connect one of its outcomes instead.',
      ],
    ]);
  });

  it('accepts edges from every handle of a node', () => {
    const choice = question(
      'plan',
      'plan',
      { type: 'string' },
      {
        choices: [
          { id: 'basic', label: 'Basic', value: 'basic' },
          { id: 'pro', label: 'Pro', value: 'pro' },
        ],
      },
    );
    const doc = flow({
      triggers: [anyMessage('plan')],
      nodes: [choice, END],
      edges: ['next', 'basic', 'pro', 'invalid'].map((handle, i) => edge(`e${i}`, 'plan', handle, 'done')),
    });
    expect(validateFlow(doc)).toMatchObject({ errors: [], warnings: [] });
  });

  it('reports two edges leaving the same handle, at the second', () => {
    const doc = base({ nodes: [node('other', 'end', {})], edges: [edge('e2', 'ask', 'next', 'other')] });
    expect(errors(doc)).toEqual([
      [
        '/edges/1/sourceHandle',
        'Outcome “Next” of Question “Your name?” is connected twice; keep one connection.',
      ],
    ]);
  });

  it('reports a trigger whose target does not exist', () => {
    expect(errors(base({ triggers: [anyMessage('nowhere', 't2')] }))).toEqual([
      [
        '/triggers/1/target',
        'This start leads to a block that no longer exists. Connect it to the block where conversations begin.',
      ],
    ]);
  });

  it('reports a jump to a node that does not exist, and accepts one to a node that does', () => {
    const jumpTo = (target: string) =>
      base({ nodes: [node('again', 'jump', { target })], edges: [edge('e2', 'ask', 'invalid', 'again')] });
    expect(errors(jumpTo('missing'))).toEqual([
      ['/nodes/2/config/target', 'The block it goes to no longer exists. Pick the block to go to.'],
    ]);
    expect(validateFlow(jumpTo('ask'))).toMatchObject({ errors: [], warnings: [] });
  });

  it.each(['next', 'invalid', 'else', 'success', 'failure'])(
    'reports a choice id equal to the reserved handle %s',
    (id) => {
      const q = question('plan', 'plan', { type: 'string' }, { choices: [{ id, label: 'A', value: 'a' }] });
      expect(errors(base({ nodes: [q] }))).toEqual([
        [
          '/nodes/2/config/choices/0/id',
          'Choice “A” is stored under a name the flow keeps for its own outcomes. Remove it and add the choice again.',
        ],
      ]);
    },
  );

  it('reports duplicate choice ids at the later choice', () => {
    const choices = [
      { id: 'c1', label: 'A', value: 'a' },
      { id: 'c1', label: 'B', value: 'b' },
    ];
    expect(errors(base({ nodes: [question('plan', 'plan', { type: 'string' }, { choices })] }))).toEqual([
      [
        '/nodes/2/config/choices/1/id',
        'Choice “B” is a copy that shares its identity with another choice. Remove it and add the choice again.',
      ],
    ]);
  });

  it('reports reserved and duplicate branch ids of a condition', () => {
    const when = { all: [{ var: 'name', op: 'is_set' }] };
    const cond = node('c', 'condition', {
      branches: [
        { id: 'else', when },
        { id: 'b', when },
        { id: 'b', when },
      ],
    });
    expect(errors(base({ nodes: [cond] }))).toEqual([
      [
        '/nodes/2/config/branches/0/id',
        'Branch 1 is stored under a name the flow keeps for its own outcomes. Remove it and add the branch again.',
      ],
      [
        '/nodes/2/config/branches/2/id',
        'Branch 3 is a copy that shares its identity with another branch. Remove it and add the branch again.',
      ],
    ]);
  });

  it('reports a variable asked by two questions with different answer types', () => {
    const doc = base({
      nodes: [question('age1', 'age', { type: 'integer' }), question('age2', 'age', { type: 'string' })],
    });
    expect(errors(doc)).toEqual([
      [
        '/nodes/3/config/answer/type',
        'Question “Your age?” also saves its answer as “age”, but as a whole number; one variable takes one kind of answer. Give this question its own variable.',
      ],
    ]);
  });

  it('accepts a variable asked twice with the same answer type', () => {
    const doc = base({ nodes: [question('again', 'name', { type: 'string', minLength: 2 })] });
    expect(errors(doc)).toEqual([]);
  });

  it('reports every graph problem at once, readably and without duplicates', () => {
    const doc = base({
      nodes: [node('ask', 'end', {}), node('j', 'jump', { target: 'x' })],
      edges: [edge('e1', 'ask', 'next', 'nowhere'), edge('e3', 'ask', 'maybe', 'done')],
      triggers: [anyMessage('void')],
    });
    const result = validateFlow(doc);
    expect(pointersOf(pairs(result.errors))).toEqual([
      '/nodes/2/id',
      '/edges/1/id',
      '/triggers/1/id',
      '/nodes/3/config/target',
      '/edges/1/sourceHandle',
      '/edges/1/target',
      '/edges/2/sourceHandle',
      '/triggers/1/target',
    ]);
    expectNoDuplicates(result.errors);
    for (const problem of result.errors) expectReadable(problem.message);
  });
});

describe('broken parts do not cause bogus graph problems', () => {
  it('does not call a node with a broken config missing', () => {
    const doc = base({
      nodes: [node('broken', 'message', { text: 42 })],
      edges: [edge('e2', 'ask', 'invalid', 'broken')],
      triggers: [anyMessage('broken', 't2')],
    });
    expect(errors(doc)).toEqual([['/nodes/2/config/text', 'Must be text.']]);
  });

  it('does not call a node of unknown type missing, nor check its handles', () => {
    const doc = base({
      nodes: [node('fancy', 'carousel', {}), node('j', 'jump', { target: 'fancy' })],
      edges: [edge('e2', 'ask', 'invalid', 'fancy'), edge('e3', 'fancy', 'whatever', 'done')],
    });
    expect(pointersOf(errors(doc))).toEqual(['/nodes/2/type']);
  });

  it('does not report duplicates against a broken item', () => {
    const doc = base({
      nodes: [node('ask', 'end', { text: 1 })],
      edges: [{ id: 'e1', source: 'ask', target: 'done' }],
    });
    expect(errors(doc)).toEqual([
      ['/nodes/2/config/text', 'Must be text.'],
      ['/edges/1', '“sourceHandle” is required.'],
    ]);
  });

  it('does not check answers or choices of a structurally broken question', () => {
    const q = question(
      'q',
      'v',
      { type: 'number' },
      { choices: [{ id: 'next', label: 'A', value: 'a' }], oops: 1 },
    );
    expect(errors(base({ nodes: [q] }))).toEqual([
      ['/nodes/2/config/oops', '“oops” is not a known setting here. Remove it or check its spelling.'],
    ]);
  });

  it('holds back reachability warnings while a node, edge or trigger is broken', () => {
    // ask → middle (broken) → tail → done: tail is connected, just behind a broken node.
    const doc = flow({
      triggers: [anyMessage('ask')],
      nodes: [
        question('ask', 'name'),
        node('middle', 'message', { text: '' }),
        node('tail', 'message', { text: 'Bye {{name}}' }),
        END,
      ],
      edges: [
        edge('e1', 'ask', 'next', 'middle'),
        edge('e2', 'middle', 'next', 'tail'),
        edge('e3', 'tail', 'next', 'done'),
      ],
    });
    expect(validateFlow(doc)).toMatchObject({
      errors: [{ pointer: '/nodes/1/config/text', message: 'Must not be empty.' }],
      warnings: [],
    });
  });

  it('holds back unknown-variable warnings while a node is broken', () => {
    // The broken question still defines “email”; the message must not be told it is never set.
    const doc = flow({
      triggers: [anyMessage('ask')],
      nodes: [
        question('ask', 'email', { type: 'string' }, { skipable: true }),
        node('say', 'message', { text: 'We write to {{email}}' }),
        END,
      ],
      edges: [edge('e1', 'ask', 'next', 'say'), edge('e2', 'say', 'next', 'done')],
    });
    expect(validateFlow(doc).warnings).toEqual([]);
  });
});

describe('graph warnings', () => {
  it('warns about a node nothing leads to', () => {
    expect(warnings(base({ nodes: [node('lonely', 'end', {})] }))).toEqual([
      ['/nodes/2', 'End can never be reached: no start or connection leads to it.'],
    ]);
  });

  it('counts a jump as leading to its target', () => {
    const doc = flow({
      triggers: [anyMessage('j')],
      nodes: [node('j', 'jump', { target: 'done' }), END],
    });
    expect(validateFlow(doc)).toMatchObject({ errors: [], warnings: [] });
  });

  it('warns about nodes from which no End or Hand-off can be reached', () => {
    const doc = flow({
      triggers: [anyMessage('hi')],
      nodes: [node('hi', 'message', { text: 'Hi' }), node('wait', 'delay', { seconds: 1 })],
      edges: [edge('e1', 'hi', 'next', 'wait')],
    });
    expect(warnings(doc)).toEqual([
      [
        '/nodes/0',
        'From Send message “Hi” no path reaches an End or Hand-off; conversations stop there silently.',
      ],
      [
        '/nodes/1',
        'From Wait “1 second” no path reaches an End or Hand-off; conversations stop there silently.',
      ],
    ]);
  });

  it('accepts a Hand-off as a finish, and a finish reachable from one of several outcomes', () => {
    const doc = flow({
      triggers: [anyMessage('call')],
      nodes: [node('call', 'http_request', { url: 'https://x.example' }), node('human', 'handoff', {})],
      edges: [edge('e1', 'call', 'failure', 'human')],
    });
    expect(validateFlow(doc)).toMatchObject({ errors: [], warnings: [] });
  });

  it('takes a Hand-off with its “No reply in time” outcome connected or not, without a warning', () => {
    const loose = flow({
      triggers: [anyMessage('human')],
      nodes: [node('human', 'handoff', {})],
      edges: [],
    });
    expect(validateFlow(loose)).toMatchObject({ errors: [], warnings: [] });
    const connected = flow({
      settings: { handoff: { timeoutMinutes: 30, timeoutText: 'Nobody is free.' } },
      triggers: [anyMessage('human')],
      nodes: [node('human', 'handoff', {}), node('done', 'end', {})],
      edges: [edge('e1', 'human', 'timeout', 'done')],
    });
    expect(validateFlow(connected)).toMatchObject({ errors: [], warnings: [] });
  });

  it('refuses a hand-off timeout that is not a whole number of minutes up to a week', () => {
    for (const timeoutMinutes of [0, 1.5, 10081]) {
      const doc = flow({
        settings: { handoff: { timeoutMinutes } },
        triggers: [anyMessage('human')],
        nodes: [node('human', 'handoff', {})],
        edges: [],
      });
      expect(validateFlow(doc).errors.map((problem) => problem.pointer)).toEqual([
        '/settings/handoff/timeoutMinutes',
      ]);
    }
  });

  it('warns about a template reading a variable nothing defines, once per field and variable', () => {
    const doc = base({
      nodes: [node('say', 'message', { text: 'Hi {{nick}} / {{ nick }} / {{nick.first}} {{name}}' })],
      edges: [edge('e2', 'ask', 'invalid', 'say'), edge('e3', 'say', 'next', 'done')],
    });
    expect(warnings(doc)).toEqual([
      [
        '/nodes/2/config/text',
        '“nick” is never set by a question, Set variable or HTTP request, so it will be empty.',
      ],
      [
        '/nodes/2/config/text',
        '“name” may be empty here: on some path to this block nothing has set it yet (for example after wrong answers, a skipped question or a failed request).',
      ],
    ]);
  });

  it('warns when a template reads a variable some path leaves unset, such as a failed request', () => {
    const doc = flow({
      triggers: [anyMessage('call')],
      nodes: [
        node('call', 'http_request', { url: 'https://x.example/book', saveAs: 'crm' }),
        node('bye', 'end', { text: 'Your reference is {{crm.body.ref}}.' }),
      ],
      edges: [edge('e1', 'call', 'success', 'bye'), edge('e2', 'call', 'failure', 'bye')],
    });
    expect(warnings(doc)).toEqual([
      [
        '/nodes/1/config/text',
        '“crm” may be empty here: on some path to this block nothing has set it yet (for example after wrong answers, a skipped question or a failed request).',
      ],
    ]);
  });

  it('reads outcomes named like object properties as outcomes, not as the language’s own', () => {
    const doc = flow({
      triggers: [anyMessage('ask')],
      nodes: [question('ask', 'name', { type: 'integer' }), node('bye', 'end', { text: '{{name}}' })],
      edges: [edge('e1', 'ask', 'constructor', 'bye'), edge('e2', 'ask', '__proto__', 'bye')],
    });
    expect(() => validateFlow(doc)).not.toThrow();
  });

  it('does not warn about contact.*, flow.* or variables set by any node type', () => {
    const doc = flow({
      triggers: [anyMessage('set')],
      nodes: [
        node('set', 'set_variable', { variable: 'segment', value: 'vip' }),
        node('call', 'http_request', { url: 'https://x.example/{{segment}}', saveAs: 'crm' }),
        question('ask', 'email'),
        node('bye', 'end', {
          text: '{{contact.name}} {{contact.phone}} {{flow.name}} {{crm.body.id}} {{email}} {{segment}}',
        }),
      ],
      edges: [
        edge('e1', 'set', 'next', 'call'),
        edge('e2', 'call', 'success', 'ask'),
        edge('e3', 'call', 'failure', 'oops'),
        edge('e4', 'ask', 'next', 'bye'),
      ],
    });
    (doc.nodes as unknown[]).push(node('oops', 'end', { text: 'Sorry, try later.' }));
    expect(validateFlow(doc)).toMatchObject({ errors: [], warnings: [] });
  });

  it('checks every templated field: question prompt and retry, http url, headers and body, media caption', () => {
    const doc = flow({
      triggers: [anyMessage('q')],
      nodes: [
        question('q', 'a', { type: 'string' }, { prompt: 'Hi {{p1}}', retry: { message: 'Again {{p2}}' } }),
        node('h', 'http_request', {
          url: 'https://x.example/{{p3}}',
          headers: { 'X-Key~Id': '{{p4}}' },
          body: '{"a":"{{p5}}"}',
        }),
        node('m', 'message', { media: { url: 'https://x.example/a.png', kind: 'image', caption: '{{p6}}' } }),
        END,
      ],
      edges: [
        edge('e1', 'q', 'next', 'h'),
        edge('e2', 'h', 'success', 'm'),
        edge('e3', 'h', 'failure', 'done'),
        edge('e4', 'm', 'next', 'done'),
      ],
    });
    expect(pointersOf(warnings(doc))).toEqual([
      '/nodes/0/config/prompt',
      '/nodes/0/config/retry/message',
      '/nodes/1/config/url',
      '/nodes/1/config/headers/X-Key~0Id',
      '/nodes/1/config/body',
      '/nodes/2/config/media/caption',
    ]);
  });

  it('warns about a condition reading a variable nothing defines, at the rule’s var', () => {
    const cond = node('c', 'condition', {
      branches: [
        {
          id: 'b1',
          when: {
            all: [{ var: 'name', op: 'is_set' }, { any: [{ var: 'crm.body.vip', op: 'eq', value: true }] }],
          },
        },
      ],
    });
    const doc = base({
      nodes: [cond],
      edges: [
        edge('e2', 'ask', 'invalid', 'c'),
        edge('e3', 'c', 'b1', 'done'),
        edge('e4', 'c', 'else', 'done'),
      ],
    });
    expect(warnings(doc)).toEqual([
      [
        '/nodes/2/config/branches/0/when/all/1/any/0/var',
        '“crm” is never set by a question, Set variable or HTTP request, so it will be empty.',
      ],
    ]);
  });

  it('warns when the reminder would come at or after expiry', () => {
    const at = (settings: unknown) => warnings({ ...base(), settings });
    const expected = [
      [
        '/settings/reminder/afterMinutes',
        'The reminder would come after the chat has already expired, so it is never sent.',
      ],
    ];
    expect(at({ reminder: { afterMinutes: 30, text: 'Still there?' } })).toEqual(expected);
    expect(at({ sessionTimeoutMinutes: 10, reminder: { afterMinutes: 15, text: 'Still there?' } })).toEqual(
      expected,
    );
    expect(at({ sessionTimeoutMinutes: 10, reminder: { afterMinutes: 5, text: 'Still there?' } })).toEqual(
      [],
    );
    expect(at({ reminder: { afterMinutes: 29, text: 'Still there?' } })).toEqual([]);
  });

  it('reports warnings as warnings, never as errors', () => {
    const result = validateFlow(base({ nodes: [node('lonely', 'message', { text: '{{ghost}}' })] }));
    expect(result.errors).toEqual([]);
    expect(result.warnings.every((problem) => problem.severity === 'warning')).toBe(true);
    expect(pointersOf(pairs(result.warnings))).toEqual(['/nodes/2', '/nodes/2/config/text']);
    for (const problem of result.warnings) expectReadable(problem.message);
  });
});

function pointersOf(list: [string, string][]): string[] {
  return list.map(([pointer]) => pointer);
}
