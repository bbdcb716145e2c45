import { describe, expect, it } from 'vitest';
import type { ValueScope } from '../values/path.js';
import { renderTemplate, templatePaths, valueToText } from './template.js';

const scope: ValueScope = {
  variables: {
    name: 'Bob',
    qty: 3,
    price: 2.5,
    zero: 0,
    no: false,
    nothing: null,
    toppings: ['cheese', 'ham'],
    crm: { status: 200, body: { id: 'L-7', tags: ['a', 'b'], items: [{ sku: 'x1' }, { sku: 'x2' }] } },
    quote: 'She said "hi"\\ then\nleft\t.',
    query: 'a b&c=d/é?',
  },
  contact: { name: 'Ana', phone: '+15550100001' },
  flow: { name: 'Lead intake' },
};

const render = (template: string, mode?: 'none' | 'url' | 'json') => renderTemplate(template, scope, mode);

describe('renderTemplate', () => {
  it('fills a variable, with or without spaces inside the braces', () => {
    expect(render('Hi {{name}}!')).toBe('Hi Bob!');
    expect(render('Hi {{ name }}! {{name }} {{  name}}')).toBe('Hi Bob! Bob Bob');
  });

  it('reads into objects and arrays', () => {
    expect(render('{{crm.body.id}}')).toBe('L-7');
    expect(render('{{crm.status}}')).toBe('200');
    expect(render('{{crm.body.items.1.sku}} {{toppings.0}}')).toBe('x2 cheese');
  });

  it('reads contact.name, contact.phone and flow.name', () => {
    expect(render('{{contact.name}} ({{contact.phone}}) in {{flow.name}}')).toBe(
      'Ana (+15550100001) in Lead intake',
    );
  });

  it('renders missing values as empty text', () => {
    expect(render('[{{missing}}][{{crm.body.nope}}][{{name.first}}][{{toppings.9}}][{{nothing}}]')).toBe(
      '[][][][][]',
    );
    expect(render('[{{contact.email}}]')).toBe('[]');
    expect(renderTemplate('Hi {{contact.name}}', { variables: {}, contact: {}, flow: { name: 'F' } })).toBe(
      'Hi ',
    );
  });

  it('renders numbers and booleans as written, including zero and false', () => {
    expect(render('{{qty}} × {{price}} = {{zero}} {{no}}')).toBe('3 × 2.5 = 0 false');
  });

  it('joins arrays with ", " and writes objects as JSON', () => {
    expect(render('{{toppings}}')).toBe('cheese, ham');
    expect(render('{{crm.body.tags}}')).toBe('a, b');
    expect(render('{{crm.body.items}}')).toBe('{"sku":"x1"}, {"sku":"x2"}');
    expect(render('{{crm.body}}')).toBe('{"id":"L-7","tags":["a","b"],"items":[{"sku":"x1"},{"sku":"x2"}]}');
  });

  it('leaves text that is not a placeholder alone', () => {
    expect(render('{name} {{}} {{first name}} {{ }} {{name')).toBe('{name} {{}} {{first name}} {{ }} {{name');
    expect(render('{{{name}}}')).toBe('{Bob}');
    expect(render('no placeholders')).toBe('no placeholders');
  });

  it('does not read inherited properties', () => {
    expect(render('[{{toString}}][{{name.length}}][{{crm.constructor}}]')).toBe('[][][]');
  });

  it('URL-encodes values in url mode, not the template around them', () => {
    expect(render('https://x.example/s?q={{query}}&n={{name}}', 'url')).toBe(
      'https://x.example/s?q=a%20b%26c%3Dd%2F%C3%A9%3F&n=Bob',
    );
    expect(render('/{{toppings}}', 'url')).toBe('/cheese%2C%20ham');
  });

  it('JSON-string-escapes values in json mode so the body stays valid JSON', () => {
    const body = render('{"text":"{{quote}}","who":"{{contact.name}}","items":"{{crm.body.items}}"}', 'json');
    expect(body).toBe(
      '{"text":"She said \\"hi\\"\\\\ then\\nleft\\t.","who":"Ana","items":"{\\"sku\\":\\"x1\\"}, {\\"sku\\":\\"x2\\"}"}',
    );
    expect(JSON.parse(body)).toEqual({
      text: 'She said "hi"\\ then\nleft\t.',
      who: 'Ana',
      items: '{"sku":"x1"}, {"sku":"x2"}',
    });
  });

  it('inserts values verbatim by default', () => {
    expect(render('{{quote}}')).toBe('She said "hi"\\ then\nleft\t.');
    expect(render('{{query}}', 'none')).toBe('a b&c=d/é?');
  });

  it('does not re-read placeholders that come from values', () => {
    const sneaky: ValueScope = { ...scope, variables: { a: '{{b}}', b: 'secret' } };
    expect(renderTemplate('{{a}}', sneaky)).toBe('{{b}}');
  });
});

describe('valueToText', () => {
  it('follows the template rules', () => {
    expect(valueToText(undefined)).toBe('');
    expect(valueToText(null)).toBe('');
    expect(valueToText('x')).toBe('x');
    expect(valueToText(-1.5)).toBe('-1.5');
    expect(valueToText([1, [2, 3], null, { a: 1 }])).toBe('1, 2, 3, , {"a":1}');
    expect(valueToText({ a: [1] })).toBe('{"a":[1]}');
  });
});

describe('templatePaths', () => {
  it('lists the paths a template reads, in order, with spaces trimmed', () => {
    expect(
      templatePaths('Hi {{name}}, {{ crm.body.id }} / {{contact.name}} {{name}} {{toppings.0}}'),
    ).toEqual(['name', 'crm.body.id', 'contact.name', 'name', 'toppings.0']);
  });

  it('ignores text that is not a placeholder', () => {
    expect(templatePaths('{name} {{}} {{first name}} plain')).toEqual([]);
  });

  it('can be called repeatedly (no leftover regex state)', () => {
    expect(templatePaths('{{a}}')).toEqual(['a']);
    expect(templatePaths('{{a}}')).toEqual(['a']);
    expect(render('{{name}}')).toBe('Bob');
    expect(render('{{name}}')).toBe('Bob');
  });
});
