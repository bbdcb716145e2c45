import type { ErrorObject } from 'ajv';
import { error, type Problem } from './problem.js';

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object ({…})',
  array: 'a list ([…])',
  null: 'null',
};

const COMPARISONS: Record<string, string> = {
  '<=': 'at most',
  '<': 'less than',
  '>=': 'at least',
  '>': 'more than',
};

function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

function customMessage(err: ErrorObject): string | undefined {
  const parent = err.parentSchema as Record<string, unknown> | undefined;
  const message = parent?.['x-message'];
  return typeof message === 'string' ? message : undefined;
}

/** A sentence an admin understands for one ajv error. */
function describe(err: ErrorObject): { pointer: string; message: string } {
  const pointer = err.instancePath === '' ? '/' : err.instancePath;
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return { pointer, message: `“${String(params.missingProperty)}” is required.` };
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return {
        pointer: `${err.instancePath}/${escapePointerToken(name)}`,
        message: `“${name}” is not a known setting here. Remove it or check its spelling.`,
      };
    }
    case 'type': {
      const types = String(params.type).split(',');
      return {
        pointer,
        message:
          customMessage(err) ?? `Must be ${types.map((type) => TYPE_NAMES[type] ?? type).join(' or ')}.`,
      };
    }
    case 'minLength':
      return {
        pointer,
        message:
          params.limit === 1
            ? (customMessage(err) ?? 'Must not be empty.')
            : `Must be at least ${params.limit} characters.`,
      };
    case 'maxLength':
      return { pointer, message: `Must be at most ${params.limit} characters.` };
    case 'minItems':
      return { pointer, message: `Needs at least ${params.limit} item${params.limit === 1 ? '' : 's'}.` };
    case 'maxItems':
      return { pointer, message: `Has too many items (at most ${params.limit}).` };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      return {
        pointer,
        message: `Must be ${COMPARISONS[String(params.comparison)] ?? params.comparison} ${params.limit}.`,
      };
    case 'const':
      return { pointer, message: customMessage(err) ?? `Must be ${JSON.stringify(params.allowedValue)}.` };
    case 'enum':
      return {
        pointer,
        message:
          customMessage(err) ??
          `Must be one of: ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}.`,
      };
    case 'format':
      return { pointer, message: customMessage(err) ?? `Must be a valid ${String(params.format)}.` };
    case 'pattern':
      return { pointer, message: customMessage(err) ?? 'Has an invalid format.' };
    case 'propertyNames':
      return { pointer, message: 'Has a name that is not allowed.' };
    default:
      return { pointer, message: customMessage(err) ?? err.message ?? 'Is not valid.' };
  }
}

/**
 * Of an anyOf's alternatives, keeps only the errors of the one that came closest, since reporting
 * every alternative's complaints confuses more than it helps. Closest = fewest complaints about the
 * value itself (missing or unknown fields), then fewest complaints overall.
 */
function closestAlternatives(errors: ErrorObject[]): ErrorObject[] {
  let remaining = errors;
  const anyOfs = errors.filter((err) => err.keyword === 'anyOf' || err.keyword === 'oneOf');
  for (const anyOf of anyOfs) {
    const prefix = `${anyOf.schemaPath}/`;
    const byBranch = new Map<string, ErrorObject[]>();
    for (const err of remaining) {
      if (!err.schemaPath.startsWith(prefix)) continue;
      const branch = err.schemaPath.slice(prefix.length).split('/')[0] as string;
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), err]);
    }
    const shallow = (branch: ErrorObject[]) =>
      branch.filter((err) => err.instancePath === anyOf.instancePath).length;
    const best =
      [...byBranch.values()].sort((a, b) => shallow(a) - shallow(b) || a.length - b.length)[0] ?? [];
    const dropped = new Set([...byBranch.values()].flat().filter((err) => !best.includes(err)));
    dropped.add(anyOf);
    remaining = remaining.filter((err) => !dropped.has(err));
  }
  return remaining;
}

/** Turns ajv's errors into Problems: deduplicated, `if` noise removed, closest alternative only. */
export function problemsFromAjv(errors: ErrorObject[] | null | undefined): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const err of closestAlternatives((errors ?? []).filter((err) => err.keyword !== 'if'))) {
    const { pointer, message } = describe(err);
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(error(pointer, message));
  }
  return problems;
}
