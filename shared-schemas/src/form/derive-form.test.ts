import { describe, expect, it } from 'vitest';
import { anyMessage, END, edge, flow, node, question, scenarioFlows } from '../__fixtures__/flows.js';
import type { FlowDocument } from '../flow/document.js';
import { createAjv } from '../validation/ajv.js';
import { validateFlow } from '../validation/validate-flow.js';
import { deriveForm } from './derive-form.js';

/** Validates first: deriveForm is only ever given valid documents. */
function form(doc: Record<string, unknown>) {
  const { errors, document } = validateFlow(doc);
  expect(errors).toEqual([]);
  return deriveForm(document as FlowDocument);
}

/** One question per node, wired in a line from a trigger, then End. */
function line(...questions: Record<string, unknown>[]) {
  const ids = questions.map((q) => q.id as string);
  return flow({
    triggers: [anyMessage(ids[0] ?? 'done')],
    nodes: [...questions, END],
    edges: ids.map((id, i) => edge(`e${i}`, id, 'next', ids[i + 1] ?? 'done')),
  });
}

describe('deriveForm', () => {
  it('makes one property per question variable, holding its answer fragment', () => {
    const { answersSchema } = form(
      line(
        question('q1', 'email', { type: 'string', format: 'email' }),
        question('q2', 'age', { type: 'integer', minimum: 18 }, { ui: { label: 'Age' } }),
      ),
    );
    expect(answersSchema).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        email: { type: 'string', format: 'email', title: 'Your email?' },
        age: { type: 'integer', minimum: 18, title: 'Age' },
      },
    });
  });

  it('gives an answers schema ajv compiles and that checks answers', () => {
    const { answersSchema } = form(
      line(
        question('q1', 'email', { type: 'string', format: 'email' }),
        question('q2', 'age', { type: 'integer' }),
      ),
    );
    const validate = createAjv().compile(answersSchema);
    expect(validate({ email: 'ana@example.com', age: 30 })).toBe(true);
    expect(validate({ email: 'nope', age: 30 })).toBe(false);
    expect(validate({ age: 'thirty' })).toBe(false);
    expect(validate({ other: 1 })).toBe(false);
  });

  it('orders fields as a walk from the triggers meets them, not by node order', () => {
    // Node array order: c, b, a. Walk: t1 → a → b → c.
    const doc = flow({
      triggers: [anyMessage('a')],
      nodes: [question('c', 'third'), question('b', 'second'), question('a', 'first'), END],
      edges: [edge('e1', 'a', 'next', 'b'), edge('e2', 'b', 'next', 'c'), edge('e3', 'c', 'next', 'done')],
    });
    expect(form(doc).uiSchema['ui:order']).toEqual(['first', 'second', 'third']);
    expect(Object.keys(form(doc).answersSchema.properties)).toEqual(['first', 'second', 'third']);
  });

  it('walks triggers in order, outcomes in handle order, and follows jumps', () => {
    const doc = flow({
      triggers: [anyMessage('cond'), anyMessage('late', 't2')],
      nodes: [
        question('late', 'late'),
        question('elseQ', 'elseVar'),
        question('vipQ', 'vipVar'),
        node('cond', 'condition', {
          branches: [{ id: 'vip', when: { all: [{ var: 'vipVar', op: 'is_set' }] } }],
        }),
        node('j', 'jump', { target: 'jumped' }),
        question('jumped', 'jumpedVar'),
        END,
      ],
      edges: [
        edge('e1', 'cond', 'else', 'elseQ'),
        edge('e2', 'cond', 'vip', 'vipQ'),
        edge('e3', 'vipQ', 'next', 'j'),
        edge('e4', 'elseQ', 'next', 'done'),
        edge('e5', 'jumped', 'next', 'done'),
        edge('e6', 'late', 'next', 'done'),
      ],
    });
    expect(form(doc).uiSchema['ui:order']).toEqual(['vipVar', 'jumpedVar', 'elseVar', 'late']);
  });

  it('puts questions no walk reaches last, in node order', () => {
    const doc = flow({
      triggers: [anyMessage('a')],
      nodes: [question('z', 'orphan2'), question('a', 'first'), question('y', 'orphan1'), END],
      edges: [edge('e1', 'a', 'next', 'done')],
    });
    expect(form(doc).uiSchema['ui:order']).toEqual(['first', 'orphan2', 'orphan1']);
  });

  it('lists a variable asked twice once, with the first question met', () => {
    const doc = line(
      question('q1', 'email', { type: 'string', format: 'email' }, { ui: { label: 'Email' } }),
      question('q2', 'email', { type: 'string' }, { ui: { label: 'Email again' } }),
    );
    const { answersSchema, uiSchema } = form(doc);
    expect(uiSchema['ui:order']).toEqual(['email']);
    expect(answersSchema.properties).toEqual({ email: { type: 'string', format: 'email', title: 'Email' } });
    expect(uiSchema.email).toMatchObject({ 'ui:title': 'Email' });
  });

  it.each([
    ['email', { type: 'string', format: 'email' }, {}],
    ['phone', { type: 'string', format: 'phone' }, {}],
    ['date', { type: 'string', format: 'date' }, {}],
    ['number', { type: 'number' }, {}],
    ['number', { type: 'integer' }, {}],
    ['text', { type: 'string' }, {}],
    ['text', { type: 'boolean' }, {}],
    ['radio', { type: 'string' }, { choices: [{ id: 'c1', label: 'A', value: 'a' }] }],
    [
      'checkboxes',
      { type: 'array', items: { type: 'string' } },
      { choices: [{ id: 'c1', label: 'A', value: 'a' }] },
    ],
    ['file', { type: 'object' }, { accept: 'media' }],
    ['location', { type: 'object' }, { accept: 'location' }],
  ])('defaults the widget to %s for %j %j', (widget, answer, extra) => {
    const { uiSchema } = form(line(question('q', 'v', answer, extra)));
    expect(uiSchema.v).toMatchObject({ 'ui:widget': widget });
  });

  it('keeps the widget the author picked', () => {
    const { uiSchema } = form(line(question('q', 'v', { type: 'integer' }, { ui: { widget: 'rating' } })));
    expect(uiSchema.v).toMatchObject({ 'ui:widget': 'rating' });
  });

  it('carries label, help and placeholder; the prompt is the title without a label', () => {
    const ui = { widget: 'email', label: 'Email', help: 'We reply there', placeholder: 'you@example.com' };
    const { uiSchema } = form(
      line(question('q1', 'email', { type: 'string', format: 'email' }, { ui }), question('q2', 'city')),
    );
    expect(uiSchema.email).toEqual({
      'ui:widget': 'email',
      'ui:title': 'Email',
      'ui:help': 'We reply there',
      'ui:placeholder': 'you@example.com',
    });
    expect(uiSchema.city).toEqual({ 'ui:widget': 'text', 'ui:title': 'Your city?' });
  });

  it('puts the choices, labels and values, in ui:options', () => {
    const plans = [
      { id: 'c1', label: 'Basic', value: 'basic' },
      { id: 'c2', label: 'Pro', value: 'pro' },
    ];
    const scores = [
      { id: 's1', label: 'Bad', value: 1 },
      { id: 's5', label: 'Great', value: 5 },
    ];
    const { uiSchema } = form(
      line(
        question('q1', 'plan', { type: 'string' }, { choices: plans }),
        question('q2', 'score', { type: 'integer' }, { choices: scores }),
      ),
    );
    expect(uiSchema.plan).toMatchObject({
      'ui:widget': 'radio',
      'ui:options': {
        choices: [
          { label: 'Basic', value: 'basic' },
          { label: 'Pro', value: 'pro' },
        ],
      },
    });
    expect(uiSchema.score).toMatchObject({
      'ui:options': {
        choices: [
          { label: 'Bad', value: 1 },
          { label: 'Great', value: 5 },
        ],
      },
    });
  });

  it('gives an empty form for a flow without questions', () => {
    expect(form(flow({ triggers: [anyMessage('done')], nodes: [END] }))).toEqual({
      answersSchema: { type: 'object', properties: {}, additionalProperties: false },
      uiSchema: { 'ui:order': [] },
      questions: {},
    });
  });

  it('does not change the document', () => {
    const doc = line(question('q', 'v', { type: 'string' }, { ui: { label: 'V' } }));
    const before = structuredClone(doc);
    form(doc);
    expect(doc).toEqual(before);
  });

  it.each(scenarioFlows())('derives a form for the scenario $file', ({ flow: doc }) => {
    const { answersSchema, uiSchema } = form(doc);
    const variables = (doc.nodes as { type: string; config: { variable?: string } }[]).flatMap((n) =>
      n.type === 'question' ? [n.config.variable as string] : [],
    );
    expect([...uiSchema['ui:order']].sort()).toEqual([...new Set(variables)].sort());
    expect(Object.keys(answersSchema.properties).sort()).toEqual([...new Set(variables)].sort());
  });
});
