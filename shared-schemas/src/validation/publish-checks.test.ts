import { describe, expect, it } from 'vitest';
import { anyMessage, END, edge, flow, node, pairs, question } from '../__fixtures__/flows.js';
import { validateForPublish } from './publish-checks.js';
import { validateFlow } from './validate-flow.js';

const SERVICE = question(
  'service',
  'service',
  { type: 'string', enum: ['cleaning', 'emergency'] },
  {
    choices: [
      { id: 'c1', label: 'Cleaning & check-up', value: 'cleaning' },
      { id: 'c2', label: 'Emergency / tooth pain', value: 'emergency' },
    ],
  },
);

/** service question → condition on it → end, with every outcome connected. */
function booking(rule: Record<string, unknown>, ask = SERVICE) {
  return flow({
    triggers: [anyMessage('service')],
    nodes: [ask, node('route', 'condition', { branches: [{ id: 'urgent', when: rule }] }), END],
    edges: [
      edge('e1', 'service', 'next', 'route'),
      edge('e2', 'service', 'invalid', 'done'),
      edge('e3', 'route', 'urgent', 'done'),
      edge('e4', 'route', 'else', 'done'),
    ],
  });
}

describe('validateForPublish', () => {
  it('refuses an empty flow, which validation alone accepts as a draft', () => {
    const empty = flow();
    expect(validateFlow(empty).errors).toEqual([]);
    expect(pairs(validateForPublish(empty).errors)).toEqual([
      ['/nodes', 'The flow has no blocks yet. Add the blocks of the conversation before publishing.'],
      ['/triggers', 'Nothing starts this flow. Add a start (which messages begin it) before publishing.'],
    ]);
  });

  it('refuses a condition on a choice written with the label the admin sees', () => {
    const result = validateForPublish(booking({ var: 'service', op: 'eq', value: 'Emergency / tooth pain' }));
    expect(pairs(result.errors)).toEqual([
      [
        '/nodes/1/config/branches/0/when/value',
        '“Emergency / tooth pain” is how a choice of “Your service?” reads, but the answer is stored as “emergency”, so this rule never matches. Pick the choice from the list.',
      ],
    ]);
    expect(result.document).toBeUndefined();
  });

  it('refuses a value that is not a choice, and says a "not equal" rule would always hold', () => {
    expect(
      pairs(validateForPublish(booking({ var: 'service', op: 'neq', value: 'filling' })).errors),
    ).toEqual([
      [
        '/nodes/1/config/branches/0/when/value',
        '“filling” is not one of the choices of “Your service?” (“Cleaning & check-up”, “Emergency / tooth pain”), so this rule always holds.',
      ],
    ]);
    expect(
      validateForPublish(booking({ all: [{ var: 'service', op: 'in', value: ['cleaning', 'whitening'] }] }))
        .errors,
    ).toHaveLength(1);
  });

  it('refuses text compared with a number answer, and yes/no compared with other words', () => {
    const age = question('service', 'age', { type: 'integer' });
    const withAge = booking({ var: 'age', op: 'gt', value: 'eighteen' }, age);
    expect(validateForPublish(withAge).errors[0]?.message).toBe(
      '“Your age?” stores a number, and “eighteen” is not one, so this rule never matches.',
    );
    const consent = question('service', 'ok', { type: 'boolean' });
    expect(validateForPublish(booking({ var: 'ok', op: 'eq', value: 'maybe' }, consent)).errors).toHaveLength(
      1,
    );
  });

  it('refuses “is one of” with an empty list, which a draft may hold while it is being built', () => {
    const empty = booking({ var: 'other', op: 'in', value: [] });
    expect(validateFlow(empty).errors).toEqual([]);
    expect(pairs(validateForPublish(empty).errors)).toEqual([
      ['/nodes/1/config/branches/0/when/value', '“is one of” needs at least one value to compare with.'],
    ]);
  });

  it('accepts rules that can match: by value, numbers as text, checks on nested or unknown paths', () => {
    for (const rule of [
      { var: 'service', op: 'eq', value: 'emergency' },
      { var: 'service', op: 'in', value: ['cleaning', 'EMERGENCY'] },
      { var: 'service', op: 'is_set' },
      { var: 'crm.body.service', op: 'eq', value: 'anything' },
      { var: 'other', op: 'eq', value: 'anything' },
    ]) {
      expect(validateForPublish(booking(rule)).errors).toEqual([]);
    }
    const age = question('service', 'age', { type: 'integer' });
    expect(validateForPublish(booking({ var: 'age', op: 'gte', value: '18' }, age)).errors).toEqual([]);
  });
});

describe('warnings about silent failures', () => {
  it('warns when a question that can refuse answers has no Invalid connection', () => {
    const date = question('ask', 'day', { type: 'string', format: 'date' });
    const doc = flow({
      triggers: [anyMessage('ask')],
      nodes: [date, END],
      edges: [edge('e1', 'ask', 'next', 'done')],
    });
    expect(pairs(validateFlow(doc).warnings)).toEqual([
      [
        '/nodes/0',
        'After 3 wrong answers the conversation ends with the fallback message (“Sorry, something went wrong.” unless the flow sets another). Connect “Invalid” to decide what happens instead.',
      ],
    ]);
    const text = question('ask', 'name');
    const free = flow({
      triggers: [anyMessage('ask')],
      nodes: [text, END],
      edges: [edge('e1', 'ask', 'next', 'done')],
    });
    expect(validateFlow(free).warnings).toEqual([]);
  });

  it('warns about an unconnected Failure and an address the runtime refuses', () => {
    const call = node('call', 'http_request', { method: 'GET', url: 'http://192.168.1.10/slots' });
    const doc = flow({
      triggers: [anyMessage('call')],
      nodes: [call, END],
      edges: [edge('e1', 'call', 'success', 'done')],
    });
    const warnings = pairs(validateFlow(doc).warnings);
    expect(warnings).toContainEqual([
      '/nodes/0/config/url',
      expect.stringContaining('“192.168.1.10” is a private or local address'),
    ]);
    expect(warnings).toContainEqual(['/nodes/0', expect.stringContaining('Connect “Failure” to tell them.')]);
    // Where the deployment allows private addresses, the request will be made: nothing to warn about.
    expect(pairs(validateForPublish(doc, { allowPrivateHttp: true }).warnings)).not.toContainEqual([
      '/nodes/0/config/url',
      expect.anything(),
    ]);
  });

  it('warns when two questions save to one variable', () => {
    const doc = flow({
      triggers: [anyMessage('a')],
      nodes: [question('a', 'name'), question('b', 'name'), END],
      edges: [edge('e1', 'a', 'next', 'b'), edge('e2', 'b', 'next', 'done')],
    });
    expect(pairs(validateFlow(doc).warnings)).toEqual([
      [
        '/nodes/1/config/variable',
        'Question “Your name?” already saves its answer as “name”; this answer would replace it. Give this question its own variable.',
      ],
    ]);
  });
});

describe('AI blocks before publishing', () => {
  function reader(imageFrom: string, credentialId = 'cred-1') {
    return flow({
      triggers: [anyMessage('service')],
      nodes: [
        SERVICE,
        node('read', 'ai_extract', {
          credentialId,
          model: 'gpt-4o',
          imageFrom,
          fields: [{ name: 'plate', description: 'The number plate', type: 'text', required: true }],
        }),
        END,
      ],
      edges: [
        edge('e1', 'service', 'next', 'read'),
        edge('e2', 'service', 'invalid', 'done'),
        edge('e3', 'read', 'next', 'done'),
        edge('e4', 'read', 'invalid', 'done'),
      ],
    });
  }

  it('refuses to read a photo from an answer that is not one', () => {
    expect(pairs(validateForPublish(reader('service')).errors)).toEqual([
      [
        '/nodes/1/config/imageFrom',
        '“service” is the answer to a question that does not take photos, so there would never be a photo to read. Pick the variable of a question that takes a photo or file.',
      ],
    ]);
  });

  it('refuses a provider the workspace does not have, and accepts one it has', () => {
    const ids = new Set(['cred-1']);
    expect(validateForPublish(reader('photo'), { aiCredentialIds: ids }).errors).toEqual([]);
    expect(pairs(validateForPublish(reader('photo', 'cred-gone'), { aiCredentialIds: ids }).errors)).toEqual([
      [
        '/nodes/1/config/credentialId',
        'This block’s AI provider is not set up in this workspace (it was removed, or the flow came from another workspace), so every call would fail. Pick a provider in the block’s settings, or add one on the AI providers page.',
      ],
    ]);
    // Where the providers are not known (the command line), the provider is not checked.
    expect(validateForPublish(reader('photo', 'cred-gone')).errors).toEqual([]);
  });
});
