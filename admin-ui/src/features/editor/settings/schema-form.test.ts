import { describe, expect, it } from 'vitest';
import {
  fieldId,
  fieldSpecs,
  nodeFieldSpecs,
  nodeResolver,
  pruneValues,
  type SchemaNode,
} from './schema-form';

const group: SchemaNode = {
  type: 'object',
  properties: {
    maxAttempts: { type: 'integer' },
    message: { type: 'string', description: 'From the schema.' },
    afterMinutes: { type: 'number' },
  },
};

const schema: SchemaNode = {
  type: 'object',
  required: ['prompt'],
  properties: {
    retry: group,
    prompt: { type: 'string' },
    enabled: { type: 'boolean' },
    mode: { type: 'string', enum: ['list', 'poll'] },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    timeoutSeconds: { type: 'integer', description: 'Seconds to wait.' },
  },
};

/** What react-hook-form is given by a resolver. */
async function resolve(type: Parameters<typeof nodeResolver>[0], values: Record<string, unknown>) {
  const resolver = nodeResolver(type);
  return resolver(values, undefined, { fields: {}, shouldUseNativeValidation: undefined });
}

describe('fieldSpecs', () => {
  it('lists the fields in the ui order, then the rest in schema order', () => {
    const fields = fieldSpecs(schema, ['prompt', 'mode'], {});
    expect(fields.map((field) => field.path)).toEqual([
      'prompt',
      'mode',
      'retry',
      'enabled',
      'headers',
      'timeoutSeconds',
    ]);
  });

  it('skips names in the ui order that the schema does not have', () => {
    expect(fieldSpecs(schema, ['gone', 'prompt'], {})[0]?.path).toBe('prompt');
  });

  it('picks a widget from the schema, unless the ui_schema names one', () => {
    const widgets = Object.fromEntries(
      fieldSpecs(schema, [], { prompt: { 'ui:widget': 'textarea' } }).map((field) => [
        field.name,
        field.widget,
      ]),
    );
    expect(widgets).toEqual({
      retry: 'object',
      prompt: 'textarea',
      enabled: 'checkbox',
      mode: 'select',
      headers: 'keyValue',
      timeoutSeconds: 'number',
    });
  });

  it('words titles and help from the ui_schema first, then from the name and the schema', () => {
    const [prompt, timeout] = fieldSpecs(schema, ['prompt', 'timeoutSeconds'], {
      prompt: { 'ui:title': 'Question', 'ui:help': 'Asked as is.', 'ui:placeholder': 'Your name?' },
    });
    expect(prompt).toMatchObject({
      title: 'Question',
      help: 'Asked as is.',
      placeholder: 'Your name?',
      required: true,
    });
    expect(timeout).toMatchObject({ title: 'Timeout seconds', help: 'Seconds to wait.', required: false });
    expect(timeout).not.toHaveProperty('placeholder');
  });

  it('gives the fields of a group their own words', () => {
    const fields = fieldSpecs(group, [], {}, 'retry.');
    expect(fields.map(({ path, title, help }) => ({ path, title, help }))).toEqual([
      {
        path: 'retry.maxAttempts',
        title: 'Attempts before giving up',
        help: 'Default 3. After the last one the flow follows “Invalid”.',
      },
      {
        path: 'retry.message',
        title: 'Retry message',
        help: 'Leave empty for one that says what is expected, e.g. “Please write a date, for example 14/07/2025.”',
      },
      { path: 'retry.afterMinutes', title: 'After (minutes)', help: undefined },
    ]);
  });
});

describe('nodeFieldSpecs', () => {
  it('builds a node type’s form from its definition', () => {
    const fields = nodeFieldSpecs('message');
    expect(fields.map(({ path, widget, title }) => ({ path, widget, title }))).toEqual([
      { path: 'text', widget: 'textarea', title: 'Message' },
      { path: 'media', widget: 'object', title: 'Attachment' },
    ]);
  });
});

describe('pruneValues', () => {
  it('drops unset values and numbers left empty (NaN)', () => {
    expect(pruneValues({ prompt: 'Hi', mode: undefined, timeoutSeconds: Number.NaN }, schema)).toEqual({
      prompt: 'Hi',
    });
  });

  it('drops an optional text left empty, and keeps a required one', () => {
    expect(pruneValues({ prompt: '', mode: '' }, schema)).toEqual({ prompt: '' });
    expect(pruneValues({ prompt: 'Hi', retry: { message: '', maxAttempts: 2 } }, schema)).toEqual({
      prompt: 'Hi',
      retry: { maxAttempts: 2 },
    });
  });

  it('removes an optional group left blank instead of storing {}', () => {
    expect(pruneValues({ prompt: 'Hi', retry: { message: '', maxAttempts: undefined } }, schema)).toEqual({
      prompt: 'Hi',
    });
    expect(pruneValues({ prompt: 'Hi', retry: { message: 'Again?' } }, schema)).toEqual({
      prompt: 'Hi',
      retry: { message: 'Again?' },
    });
  });

  it('keeps a required group even when blank, and prunes inside lists', () => {
    const required: SchemaNode = { ...schema, required: ['retry'] };
    expect(pruneValues({ retry: {} }, required)).toEqual({ retry: {} });
    expect(pruneValues({ list: [{ a: 1, b: undefined }] }, schema)).toEqual({ list: [{ a: 1 }] });
  });
});

describe('nodeResolver', () => {
  it('hands valid settings back as the pruned config', async () => {
    expect(await resolve('message', { text: 'Hello', media: { url: '', caption: '' } })).toEqual({
      values: { text: 'Hello' },
      errors: {},
    });
  });

  it('puts each problem at the field it is about, in plain words', async () => {
    const { values, errors } = await resolve('message', {
      text: 'Hello',
      media: { url: 'not a link', caption: 'A photo' },
    });
    expect(values).toEqual({});
    expect(errors).toEqual({
      media: {
        url: { type: 'schema', message: 'Must be a full link starting with https://' },
        kind: { type: 'schema', message: 'Required.' },
      },
    });
  });
});

describe('fieldId', () => {
  it('makes a DOM id of a node id and a path', () => {
    expect(fieldId('n1', 'retry.message')).toBe('field-n1-retry-message');
    expect(fieldId('n 2', 'media/url')).toBe('field-n-2-media-url');
  });
});
