import { describe, expect, it } from 'vitest';
import { anyMessage, edge, expectReadable, flow, node, pairs } from '../__fixtures__/flows.js';
import type { Problem } from '../validation/problem.js';
import { validateFlow } from '../validation/validate-flow.js';
import { NODE_TYPES, type NodeType, nodeDefinition, nodeDefinitions } from './registry.js';

/** The node under test is /nodes/0; /nodes/1 is an End it can lead to (and jump to). */
function withNode(type: string, config: unknown) {
  return flow({ triggers: [anyMessage('n')], nodes: [node('n', type, config), node('done', 'end', {})] });
}

function errorsOf(type: string, config: unknown): [string, string][] {
  return pairs(validateFlow(withNode(type, config)).errors);
}

interface Case {
  valid: Record<string, unknown>;
  /** A config lacking a required field, where it is reported, and that field's name. */
  missing?: { config: unknown; pointer: string; field: string };
  /** A config with one field of the wrong type, and where it is reported. */
  wrongType: { config: unknown; pointer: string };
}

const CASES: Record<NodeType, Case> = {
  ai_reply: {
    valid: {
      credentialId: 'cred-1',
      model: 'gpt-4o-mini',
      prompt: 'You book visits for {{flow.name}}.',
      goal: 'A day is picked.',
      saveVariables: [{ name: 'day', description: 'The day picked' }],
      tools: [
        {
          name: 'free_slots',
          description: 'Free times on a day',
          method: 'GET',
          url: 'https://example.com/slots',
          parameters: [{ name: 'date', type: 'string', description: 'YYYY-MM-DD', required: true }],
        },
      ],
      headers: { Authorization: 'Bearer x' },
      memory: 'conversation',
      maxTurns: 5,
      maxMinutes: 10,
      maxTokens: 5000,
    },
    missing: {
      config: { credentialId: 'c', model: 'm', prompt: 'p' },
      pointer: '/nodes/0/config',
      field: 'goal',
    },
    wrongType: {
      config: { credentialId: 'c', model: 'm', prompt: 'p', goal: 'g', maxTurns: 'many' },
      pointer: '/nodes/0/config/maxTurns',
    },
  },
  ai_extract: {
    valid: {
      credentialId: 'cred-1',
      model: 'gpt-4o-mini',
      source: '{{notes}}',
      fields: [
        { name: 'name', description: 'First name', type: 'text', required: true },
        { name: 'service', description: 'What for', type: 'choice', options: ['cleaning', 'check-up'] },
      ],
    },
    missing: {
      config: { credentialId: 'c', model: 'm' },
      pointer: '/nodes/0/config',
      field: 'fields',
    },
    wrongType: {
      config: {
        credentialId: 'c',
        model: 'm',
        fields: [{ name: 'n', description: '', type: 'text', required: 'y' }],
      },
      pointer: '/nodes/0/config/fields/0/required',
    },
  },
  ai_classify: {
    valid: {
      credentialId: 'cred-1',
      model: 'gpt-4o-mini',
      categories: [{ id: 'c1', name: 'Booking', description: 'Wants a visit' }],
      saveAs: 'intent',
    },
    missing: {
      config: { credentialId: 'c', model: 'm' },
      pointer: '/nodes/0/config',
      field: 'categories',
    },
    wrongType: {
      config: {
        credentialId: 'c',
        model: 'm',
        categories: [{ id: 'c1', name: 'A', description: '' }],
        saveAs: 3,
      },
      pointer: '/nodes/0/config/saveAs',
    },
  },
  message: {
    valid: { text: 'Hi {{contact.name}}', media: { url: 'https://cdn.example/a.png', kind: 'image' } },
    missing: {
      config: { media: { kind: 'image' } },
      pointer: '/nodes/0/config/media',
      field: 'url',
    },
    wrongType: { config: { text: 42 }, pointer: '/nodes/0/config/text' },
  },
  question: {
    valid: {
      prompt: 'Plan?',
      variable: 'plan',
      answer: { type: 'string', enum: ['basic', 'pro'] },
      choices: [
        { id: 'c1', label: 'Basic', value: 'basic' },
        { id: 'c2', label: 'Pro', value: 'pro' },
      ],
      render: 'poll',
      retry: { maxAttempts: 2, message: 'Pick one' },
      skippable: true,
      ui: { widget: 'radio', label: 'Plan', help: 'Choose', placeholder: '-' },
    },
    missing: {
      config: { prompt: 'Email?', answer: { type: 'string' } },
      pointer: '/nodes/0/config',
      field: 'variable',
    },
    wrongType: {
      config: { prompt: 'Email?', variable: 'email', answer: { type: 'string' }, skippable: 'yes' },
      pointer: '/nodes/0/config/skippable',
    },
  },
  condition: {
    valid: { branches: [{ id: 'big', label: 'Big', when: { all: [{ var: 'qty', op: 'gt', value: 10 }] } }] },
    missing: {
      config: { branches: [{ id: 'b1', when: { all: [{ op: 'is_set' }] } }] },
      pointer: '/nodes/0/config/branches/0/when/all/0',
      field: 'var',
    },
    wrongType: { config: { branches: { id: 'b1' } }, pointer: '/nodes/0/config/branches' },
  },
  set_variable: {
    valid: { variable: 'segment', value: '{{plan}}-lead', as: 'string' },
    missing: { config: { variable: 'segment' }, pointer: '/nodes/0/config', field: 'value' },
    wrongType: { config: { variable: 'segment', value: 5 }, pointer: '/nodes/0/config/value' },
  },
  http_request: {
    valid: {
      url: 'https://crm.example/leads?email={{email}}',
      method: 'POST',
      headers: { Authorization: 'Bearer x' },
      body: '{"email":"{{email}}"}',
      timeoutMs: 5000,
      saveAs: 'crm',
    },
    missing: { config: { method: 'GET' }, pointer: '/nodes/0/config', field: 'url' },
    wrongType: {
      config: { url: 'https://x.example', timeoutMs: '5s' },
      pointer: '/nodes/0/config/timeoutMs',
    },
  },
  delay: {
    valid: { seconds: 30 },
    missing: { config: {}, pointer: '/nodes/0/config', field: 'seconds' },
    wrongType: { config: { seconds: 'ten' }, pointer: '/nodes/0/config/seconds' },
  },
  jump: {
    valid: { target: 'done' },
    missing: { config: {}, pointer: '/nodes/0/config', field: 'target' },
    wrongType: { config: { target: 7 }, pointer: '/nodes/0/config/target' },
  },
  handoff: {
    valid: { text: 'A person will answer soon.' },
    wrongType: { config: { text: ['a'] }, pointer: '/nodes/0/config/text' },
  },
  end: {
    valid: { text: 'Bye {{contact.name}}' },
    wrongType: { config: { text: false }, pointer: '/nodes/0/config/text' },
  },
};

describe.each(NODE_TYPES)('%s config schema', (type) => {
  const c = CASES[type];

  it('accepts a valid config', () => {
    expect(errorsOf(type, c.valid)).toEqual([]);
  });

  it('reports an unknown property at the property itself', () => {
    const [only, ...rest] = errorsOf(type, { ...c.valid, colour: 'red' });
    expect(rest).toEqual([]);
    expect(only?.[0]).toBe('/nodes/0/config/colour');
    expect(only?.[1]).toContain('“colour”');
    expectReadable(only?.[1] ?? '');
  });

  it('reports a wrong type at the field', () => {
    const errors = errorsOf(type, c.wrongType.config);
    expect(errors.map(([pointer]) => pointer)).toEqual([c.wrongType.pointer]);
    expectReadable(errors[0]?.[1] ?? '');
  });

  it('reports a config that is not an object', () => {
    const errors = errorsOf(type, 'hello');
    expect(errors).toEqual([['/nodes/0/config', 'Must be an object ({…}).']]);
  });

  if (c.missing !== undefined) {
    const missing = c.missing;
    it(`reports a missing required field (“${missing.field}”) at the object lacking it`, () => {
      expect(errorsOf(type, missing.config)).toEqual([[missing.pointer, `“${missing.field}” is required.`]]);
    });
  }
});

describe('structural messages', () => {
  it('names the allowed values of an enum field', () => {
    expect(errorsOf('http_request', { url: 'https://x.example', method: 'FETCH' })).toEqual([
      ['/nodes/0/config/method', 'Must be one of: "GET", "POST", "PUT", "PATCH", "DELETE".'],
    ]);
  });

  it('explains limits in words', () => {
    expect(errorsOf('http_request', { url: 'https://x.example', timeoutMs: 60001 })).toEqual([
      ['/nodes/0/config/timeoutMs', 'Must be at most 60000.'],
    ]);
    expect(errorsOf('delay', { seconds: 0 })).toEqual([['/nodes/0/config/seconds', 'Must be more than 0.']]);
    expect(errorsOf('http_request', { url: 'https://x.example', timeoutMs: 1500.5 })).toEqual([
      ['/nodes/0/config/timeoutMs', 'Must be a whole number.'],
    ]);
  });

  it('uses the field’s own message for patterns and formats', () => {
    expect(errorsOf('http_request', { url: 'ftp://x.example' })).toEqual([
      ['/nodes/0/config/url', 'Must be a web address starting with http:// or https://'],
    ]);
    expect(errorsOf('set_variable', { variable: 'first name', value: '' })).toEqual([
      [
        '/nodes/0/config/variable',
        'Use letters, digits and _ only (no spaces), starting with a letter or _.',
      ],
    ]);
    expect(errorsOf('message', { media: { url: 'not a link', kind: 'image' } })).toEqual([
      ['/nodes/0/config/media/url', 'Must be a full link starting with https://'],
    ]);
  });

  it('reports an empty text as empty', () => {
    expect(errorsOf('end', { text: '' })).toEqual([['/nodes/0/config/text', 'Must not be empty.']]);
  });

  it('reports unknown properties inside nested config objects', () => {
    expect(errorsOf('question', { ...CASES.question.valid, retry: { tries: 3 } })).toEqual([
      [
        '/nodes/0/config/retry/tries',
        '“tries” is not a known setting here. Remove it or check its spelling.',
      ],
    ]);
    expect(
      errorsOf('condition', {
        branches: [{ id: 'b', when: { all: [{ var: 'x', op: 'eq', value: 1, note: 'hm' }] } }],
      }),
    ).toEqual([
      [
        '/nodes/0/config/branches/0/when/all/0/note',
        '“note” is not a known setting here. Remove it or check its spelling.',
      ],
    ]);
  });

  it('reports the answer type of a question when it is not one of the JSON types', () => {
    expect(errorsOf('question', { prompt: 'Q', variable: 'q', answer: { type: 'text' } })).toEqual([
      [
        '/nodes/0/config/answer/type',
        'Answer type must be one of: string, number, integer, boolean, array, object.',
      ],
    ]);
    expect(errorsOf('question', { prompt: 'Q', variable: 'q', answer: {} })).toEqual([
      ['/nodes/0/config/answer', '“type” is required.'],
    ]);
  });
});

describe('earliest and latest dates of a question', () => {
  const dateQuestion = (limits: Record<string, unknown>) => ({
    prompt: 'Which day?',
    variable: 'day',
    answer: { type: 'string', format: 'date' },
    ...limits,
  });
  const problemsOf = (config: unknown) => validateFlow(withNode('question', config));
  const aboutLimits = (problems: Problem[]) => problems.filter((p) => /earliest|latest/.test(p.pointer));

  it('accepts today, days from today and fixed dates', () => {
    for (const limits of [
      { earliest: 'today' },
      { earliest: 'today+1', latest: 'today+30' },
      { latest: 'today-1' },
      { earliest: '2026-07-01', latest: '2026-08-31' },
      { earliest: 'today', latest: '2026-01-01' },
    ]) {
      const result = problemsOf(dateQuestion(limits));
      expect(result.errors, JSON.stringify(limits)).toEqual([]);
      expect(aboutLimits(result.warnings), JSON.stringify(limits)).toEqual([]);
    }
  });

  it('blocks publishing when the earliest date is after the latest', () => {
    for (const limits of [
      { earliest: 'today+7', latest: 'today' },
      { earliest: '2026-09-01', latest: '2026-08-31' },
    ]) {
      const errors = problemsOf(dateQuestion(limits)).errors;
      expect(pairs(errors)).toEqual([
        [
          '/nodes/0/config/earliest',
          'The earliest date is after the latest date, so no date could be accepted. Swap them or change one.',
        ],
      ]);
      expectReadable(errors[0]?.message ?? '');
    }
  });

  it('explains a limit that is not a date it can read', () => {
    const errors = problemsOf(dateQuestion({ earliest: 'tomorrow', latest: '2026-02-30' })).errors;
    expect(pairs(errors)).toEqual([
      [
        '/nodes/0/config/earliest',
        'Write today, today+7 (a week from today), today-1 (yesterday) or a date such as 2026-07-14.',
      ],
    ]);
    const unreal = problemsOf(dateQuestion({ latest: '2026-02-30' })).errors;
    expect(pairs(unreal)).toEqual([
      [
        '/nodes/0/config/latest',
        '“2026-02-30” is not a real date. Write it as year-month-day, such as 2026-07-14.',
      ],
    ]);
    for (const problem of [...errors, ...unreal]) expectReadable(problem.message);
  });

  it('warns that limits on a question that does not ask for a date are ignored', () => {
    const result = problemsOf({
      prompt: 'Name?',
      variable: 'name',
      answer: { type: 'string' },
      earliest: 'today',
    });
    expect(result.errors).toEqual([]);
    expect(pairs(aboutLimits(result.warnings))).toEqual([
      [
        '/nodes/0/config/earliest',
        'The earliest and latest dates only apply to a question whose answer is a date; they are ignored here. Make the answer a date, or clear them.',
      ],
    ]);
  });
});

describe('handles', () => {
  const ids = (type: NodeType, config: unknown) =>
    nodeDefinition(type)
      .handles(config)
      .map((handle) => handle.id);

  it('gives next to message, set_variable and delay', () => {
    expect(ids('message', { text: 'x' })).toEqual(['next']);
    expect(ids('set_variable', { variable: 'a', value: '' })).toEqual(['next']);
    expect(ids('delay', { seconds: 1 })).toEqual(['next']);
  });

  it('gives a question next, each choice id (single choice) and invalid', () => {
    expect(ids('question', { prompt: 'Q', variable: 'q', answer: { type: 'string' } })).toEqual([
      'next',
      'invalid',
    ]);
    expect(ids('question', CASES.question.valid)).toEqual(['next', 'c1', 'c2', 'invalid']);
    expect(nodeDefinition('question').handles(CASES.question.valid)).toContainEqual({
      id: 'c2',
      label: 'Pro',
    });
  });

  it('gives a multi-choice question no per-choice handles', () => {
    const multi = {
      ...CASES.question.valid,
      answer: { type: 'array', items: { type: 'string' } },
    };
    expect(ids('question', multi)).toEqual(['next', 'invalid']);
  });

  it('gives a condition one handle per branch, in order, then else', () => {
    const config = {
      branches: [
        { id: 'vip', label: 'VIP', when: { all: [{ var: 'a', op: 'is_set' }] } },
        { id: 'rest', when: { any: [{ var: 'a', op: 'is_empty' }] } },
      ],
    };
    expect(nodeDefinition('condition').handles(config)).toEqual([
      { id: 'vip', label: 'VIP' },
      { id: 'rest', label: 'rest' },
      { id: 'else', label: 'Else' },
    ]);
  });

  it('gives http_request success and failure', () => {
    expect(ids('http_request', CASES.http_request.valid)).toEqual(['success', 'failure']);
  });

  it('gives jump and end none', () => {
    expect(ids('jump', { target: 'x' })).toEqual([]);
    expect(ids('end', {})).toEqual([]);
  });

  it('gives handoff the optional timeout outcome', () => {
    expect(ids('handoff', {})).toEqual(['timeout']);
  });
});

describe.each(NODE_TYPES)('%s definition', (type) => {
  const definition = nodeDefinition(type);
  const properties = Object.keys((definition.configSchema as unknown as { properties: object }).properties);

  it('is registered under its own type', () => {
    expect(definition.type).toBe(type);
    expect(Object.keys(nodeDefinitions)).toContain(type);
    expect(definition.title.length).toBeGreaterThan(0);
    expect(definition.description.length).toBeGreaterThan(0);
  });

  it('has defaults that validate inside a minimal document', () => {
    const config = definition.defaults();
    const handles = definition.handles(config);
    const doc = flow({
      triggers: [anyMessage('n')],
      nodes: [node('n', type, config), node('done', 'end', {})],
      edges: handles.map((handle, index) => edge(`e${index}`, 'n', handle.id, 'done')),
    });
    const { errors } = validateFlow(doc);
    if (type === 'jump') {
      // A fresh Go-to node has no target yet: the editor asks for one.
      expect(pairs(errors)).toEqual([['/nodes/0/config/target', 'Must not be empty.']]);
    } else if (definition.category === 'ai') {
      // A fresh AI block has no provider yet: the editor fills in the workspace's first one.
      expect(pairs(errors)).toEqual([
        ['/nodes/0/config/credentialId', 'Pick an AI provider.'],
        ['/nodes/0/config/model', 'Pick a model.'],
      ]);
    } else {
      expect(errors).toEqual([]);
    }
  });

  it('returns fresh defaults each time', () => {
    expect(definition.defaults()).not.toBe(definition.defaults());
    expect(definition.defaults()).toEqual(definition.defaults());
  });

  it('orders its settings form by real config properties only, each once', () => {
    const order = definition.settingsUi['ui:order'];
    expect(new Set(order).size).toBe(order.length);
    expect([...order].sort()).toEqual([...properties].sort());
    for (const key of Object.keys(definition.settingsUi)) {
      if (key !== 'ui:order') expect(properties).toContain(key);
    }
  });
});
