import { createAjv, problemsFromAjv } from '@parley/schemas';
import type { ValidateFunction } from 'ajv';

// Patterns run on RE2 (createAjv), so a schema cannot make a check take unbounded time.
const ajv = createAjv({ allErrors: false, strict: false });
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 500;

/** A validator per distinct schema: flows reuse the same few, so compiling each once is enough. */
function validatorOf(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (validate === undefined) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    validate = ajv.compile(schema as object);
    compiled.set(key, validate);
  }
  return validate;
}

function why(validate: ValidateFunction): string {
  return (problemsFromAjv(validate.errors)[0]?.message ?? 'Is not valid.').replace(/\.$/, '').toLowerCase();
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The strings a property's schema lists (`enum`, also inside `anyOf`). */
function listed(schema: unknown): string[] {
  if (schema === null || typeof schema !== 'object') return [];
  const { enum: values, anyOf } = schema as { enum?: unknown; anyOf?: unknown };
  return [
    ...(Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : []),
    ...(Array.isArray(anyOf) ? anyOf.flatMap(listed) : []),
  ];
}

/** A choice as the schema writes it when the model wrote it in other case or with spaces ("booking "). */
function listedAs(schema: unknown, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const wanted = value.trim().toLowerCase();
  return listed(schema).find((option) => option.trim().toLowerCase() === wanted) ?? value;
}

/**
 * Splits a structured answer into the values that meet their property's schema and the refused
 * ones (with the reason in words). A value the model left out or set to null is neither.
 */
export function checkValues(
  schema: Record<string, unknown>,
  output: unknown,
): { accepted: Record<string, unknown>; refused: Record<string, string> } {
  const accepted: Record<string, unknown> = {};
  const refused: Record<string, string> = {};
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return { accepted, refused };
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  for (const [name, propertySchema] of Object.entries(properties)) {
    const value = (output as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    const validate = validatorOf(propertySchema);
    const given = listedAs(propertySchema, value);
    if (validate(given)) accepted[name] = given;
    else refused[name] = `the model gave “${shown(value)}”, but it ${why(validate)}`;
  }
  return { accepted, refused };
}

/** Why a tool call's arguments do not meet the tool's parameters, or null when they do. */
export function checkArguments(
  schema: Record<string, unknown>,
  args: Record<string, unknown>,
): string | null {
  const validate = validatorOf(schema);
  if (validate(args)) return null;
  const problem = problemsFromAjv(validate.errors)[0];
  const where = problem === undefined || problem.pointer === '/' ? '' : ` (${problem.pointer.slice(1)})`;
  return `its arguments do not match the tool's parameters${where}: ${why(validate)}`;
}
