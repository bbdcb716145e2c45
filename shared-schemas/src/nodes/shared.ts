import { Type } from '@sinclair/typebox';
import { error, type Problem } from '../validation/problem.js';
import type { NodeReferences } from './node-definition.js';

/** Names a variable can take: usable inside `{{...}}` and as an export column. */
export const VariableName = Type.String({
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  maxLength: 64,
  'x-message': 'Use letters, digits and _ only (no spaces), starting with a letter or _.',
  // Stored as `variables.__proto__`, a value would replace the object's prototype and be lost.
  allOf: [{ not: { const: '__proto__' }, 'x-message': '“__proto__” is reserved; pick another name.' }],
});

export const NonEmptyText = (options: { maxLength?: number; description?: string } = {}) =>
  Type.String({ minLength: 1, maxLength: options.maxLength ?? 4096, ...options });

/** Handles no choice or branch may be named after, because the engine uses them. */
export const RESERVED_HANDLES = new Set(['next', 'invalid', 'else', 'success', 'failure']);

export const NEXT_HANDLE = [{ id: 'next', label: 'Next' }];

export function noReferences(): NodeReferences {
  return { templates: [], reads: [], defines: [] };
}

/** References of a node whose only dynamic part is one optional text template. */
export function textReferences(field: string, text: string | undefined): NodeReferences {
  return { ...noReferences(), templates: text === undefined ? [] : [{ pointer: `/${field}`, text }] };
}

/** An error on each entry of a list that repeats an earlier entry's name. */
export function duplicateNames(names: string[], pointer: string, what: string): Problem[] {
  const seen = new Set<string>();
  return names.flatMap((name, index) => {
    const repeated = seen.has(name);
    seen.add(name);
    return repeated
      ? [error(`${pointer}/${index}/name`, `There are two of the ${what} “${name}”; names must differ.`)]
      : [];
  });
}
