import { type NodeType, nodeDefinition } from '@parley/schemas';
import type { SchemaNode } from './schema-form';

/**
 * The settings fields of a node type that hold `{{…}}` templates, and those that name a variable the
 * node stores. Read from the node definition's `references` rather than listed here: every text field
 * of a probe config carries a marker naming its path, and the marked texts `references` hands back are
 * the templates (and the marked names it `defines`, the stored variables).
 */
export interface FieldRoles {
  /** Dotted field paths; `headers.*` means every value of the `headers` record. */
  templates: ReadonlySet<string>;
  /** Fields naming a variable the node stores (set-variable's name, a request's “save as”). */
  names: ReadonlySet<string>;
}

/** A record's single probe key, so its values read as `path.*`. */
const ANY_KEY = '*';
const MARK = '\u0000';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function holdsText(schema: SchemaNode): boolean {
  if (schema.type === 'string') return schema.enum === undefined;
  return schema.anyOf?.some(holdsText) ?? false;
}

function recordValues(schema: SchemaNode): SchemaNode | undefined {
  if (isRecord(schema.additionalProperties)) return schema.additionalProperties;
  return Object.values(schema.patternProperties ?? {})[0];
}

/** `base` with every free-text field (at any depth, optional ones too) set to a marker of its path. */
function probe(schema: SchemaNode, base: unknown, path: string): unknown {
  if (holdsText(schema)) return `${MARK}${path}`;
  if (schema.type !== 'object') return base;
  const out: Record<string, unknown> = isRecord(base) ? { ...base } : {};
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out[name] = probe(child, out[name], path === '' ? name : `${path}.${name}`);
  }
  const values = recordValues(schema);
  if (values !== undefined) out[ANY_KEY] = probe(values, undefined, `${path}.${ANY_KEY}`);
  return out;
}

const marked = (text: string): string | null => (text.startsWith(MARK) ? text.slice(MARK.length) : null);

function rolesOf(type: NodeType): FieldRoles {
  const definition = nodeDefinition(type);
  const config = probe(definition.configSchema as SchemaNode, definition.defaults(), '') as never;
  const references = definition.references(config);
  const templates = references.templates.flatMap(({ text }) => marked(text) ?? []);
  // A question stores a new answer: offering earlier names there would invite overwriting them.
  const asked = definition.asks?.(config).variable;
  const names = references.defines.filter((name) => name !== asked).flatMap((name) => marked(name) ?? []);
  return { templates: new Set(templates), names: new Set(names) };
}

const cache = new Map<NodeType, FieldRoles>();

export function fieldRoles(type: NodeType): FieldRoles {
  let roles = cache.get(type);
  if (roles === undefined) {
    roles = rolesOf(type);
    cache.set(type, roles);
  }
  return roles;
}
