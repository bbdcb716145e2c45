import {
  createAjv,
  type FieldUi,
  type NodeType,
  nodeDefinition,
  problemsFromAjv,
  type SettingsWidget,
} from '@parley/schemas';
import type { ValidateFunction } from 'ajv';
import type { FieldErrors, Resolver } from 'react-hook-form';

/** A JSON Schema node, as much of it as the form generator reads. */
export interface SchemaNode {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  anyOf?: SchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  description?: string;
}

export type FormValues = Record<string, unknown>;

/** One field of a generated form: its path in the config, schema, widget and words. */
export interface FieldSpec {
  path: string;
  name: string;
  schema: SchemaNode;
  required: boolean;
  widget: SettingsWidget;
  title: string;
  help?: string;
  placeholder?: string;
}

const NESTED_TITLES: Record<string, string> = {
  maxAttempts: 'Attempts before giving up',
  message: 'Retry message',
  url: 'Link',
  kind: 'Type',
  caption: 'Caption',
  widget: 'Form widget',
  label: 'Label in the form',
  help: 'Help text',
  placeholder: 'Placeholder',
  afterMinutes: 'After (minutes)',
  text: 'Text',
};

const NESTED_HELP: Record<string, string> = {
  maxAttempts: 'Default 3. After the last one the flow follows “Invalid”.',
  message:
    'Leave empty for one that says what is expected, e.g. “Please write a date, for example 14/07/2025.”',
};

/** Words for the values of enum fields (anything missing is shown as is). */
export const OPTION_LABELS: Record<string, string> = {
  list: 'Numbered list',
  poll: 'WhatsApp poll',
  text: 'Text',
  media: 'File or photo',
  location: 'Location',
  string: 'Text',
  number: 'Number',
  image: 'Image',
  document: 'Document',
  audio: 'Audio',
  video: 'Video',
  textarea: 'Long text',
  email: 'Email',
  phone: 'Phone',
  rating: 'Rating',
  date: 'Date',
  radio: 'Radio buttons',
  select: 'Dropdown',
  checkboxes: 'Checkboxes',
  file: 'File upload',
  // An AI reply's memory.
  block: 'What is said in this block',
  conversation: 'The whole conversation so far',
};

function humanize(name: string): string {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

function inferWidget(schema: SchemaNode): SettingsWidget {
  if (schema.enum) return 'select';
  if (schema.type === 'boolean') return 'checkbox';
  if (schema.type === 'number' || schema.type === 'integer') return 'number';
  if (schema.type === 'object' && schema.properties) return 'object';
  if (schema.type === 'object') return 'keyValue';
  return 'text';
}

/** The fields of an object schema, in the ui order, with the hints of the settings ui_schema. */
export function fieldSpecs(
  schema: SchemaNode,
  order: string[],
  ui: Record<string, FieldUi | string[]>,
  prefix = '',
): FieldSpec[] {
  const properties = schema.properties ?? {};
  const names = [...order, ...Object.keys(properties).filter((name) => !order.includes(name))];
  return names.flatMap((name) => {
    const property = properties[name];
    if (property === undefined) return [];
    const hints = (ui[name] ?? {}) as FieldUi;
    const nested = prefix !== '';
    const help = hints['ui:help'] ?? (nested ? NESTED_HELP[name] : undefined) ?? property.description;
    return [
      {
        path: `${prefix}${name}`,
        name,
        schema: property,
        required: schema.required?.includes(name) ?? false,
        widget: hints['ui:widget'] ?? inferWidget(property),
        title: hints['ui:title'] ?? (nested ? (NESTED_TITLES[name] ?? humanize(name)) : humanize(name)),
        ...(help === undefined ? {} : { help }),
        ...(hints['ui:placeholder'] === undefined ? {} : { placeholder: hints['ui:placeholder'] }),
      },
    ];
  });
}

/** The fields of one node type's settings form. */
export function nodeFieldSpecs(type: NodeType): FieldSpec[] {
  const definition = nodeDefinition(type);
  const { 'ui:order': order, ...ui } = definition.settingsUi;
  return fieldSpecs(definition.configSchema as SchemaNode, order, ui);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Nothing filled in: an empty text, or a group whose fields are all empty. */
function isBlank(value: unknown): boolean {
  if (value === undefined || value === '') return true;
  return isPlainObject(value) && Object.values(value).every(isBlank);
}

/**
 * The form's values as a config: unset values and optional texts left empty dropped, and optional
 * groups left empty (no retry settings, no attachment) removed instead of stored as `{}`.
 */
export function pruneValues(value: unknown, schema: SchemaNode | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => pruneValues(item, undefined));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (raw === undefined || (typeof raw === 'number' && Number.isNaN(raw))) continue;
    const child = schema?.properties?.[key];
    const required = schema?.required?.includes(key) ?? false;
    if (raw === '' && child !== undefined && !required) continue;
    const pruned = pruneValues(raw, child);
    if (!required && child?.type === 'object' && isBlank(pruned)) continue;
    out[key] = pruned;
  }
  return out;
}

const ajv = createAjv({ strict: false });
const validators = new Map<NodeType, ValidateFunction>();

export function configValidator(type: NodeType): ValidateFunction {
  let validate = validators.get(type);
  if (validate === undefined) {
    validate = ajv.compile(nodeDefinition(type).configSchema);
    validators.set(type, validate);
  }
  return validate;
}

function setAt(target: Record<string, unknown>, tokens: string[], leaf: unknown): void {
  let cursor: Record<string, unknown> = target;
  tokens.forEach((token, index) => {
    if (index === tokens.length - 1) {
      if (cursor[token] === undefined) cursor[token] = leaf;
      return;
    }
    const nextIsIndex = /^\d+$/.test(tokens[index + 1] ?? '');
    if (cursor[token] === undefined || typeof cursor[token] !== 'object')
      cursor[token] = nextIsIndex ? [] : {};
    cursor = cursor[token] as Record<string, unknown>;
  });
}

/** ajv's findings as react-hook-form errors, at the field each one is about. */
export function errorsFromAjv(validate: ValidateFunction): FieldErrors<FormValues> {
  const errors: Record<string, unknown> = {};
  for (const problem of problemsFromAjv(validate.errors)) {
    const tokens = problem.pointer
      .split('/')
      .slice(1)
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    const missing = /^“(.+)” is required\.$/.exec(problem.message)?.[1];
    const at = missing === undefined ? tokens : [...tokens.filter((token) => token !== ''), missing];
    if (at.length === 0 || (at.length === 1 && at[0] === '')) {
      setAt(errors, ['root'], { type: 'schema', message: problem.message });
    } else {
      setAt(errors, at, { type: 'schema', message: missing === undefined ? problem.message : 'Required.' });
    }
  }
  return errors as FieldErrors<FormValues>;
}

/** A react-hook-form resolver checking a node's settings against its type's JSON Schema. */
export function nodeResolver(type: NodeType): Resolver<FormValues> {
  const schema = nodeDefinition(type).configSchema as SchemaNode;
  return async (values) => {
    const config = pruneValues(values, schema) as FormValues;
    const validate = configValidator(type);
    if (validate(config)) return { values: config, errors: {} };
    return { values: {}, errors: errorsFromAjv(validate) };
  };
}

/** A DOM id for a field of a node's form. */
export function fieldId(nodeId: string, path: string): string {
  return `field-${nodeId}-${path}`.replace(/[^A-Za-z0-9_-]/g, '-');
}
