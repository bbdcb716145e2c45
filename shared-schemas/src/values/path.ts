/** Reads a dotted path (`crm.body.items.0.id`) from a value; undefined when any step is missing. */
export function readPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The scope templates and conditions read: variables, plus `contact.*` and `flow.*`. */
export interface ValueScope {
  variables: Record<string, unknown>;
  contact: { name?: string; phone?: string };
  flow: { name: string };
}

const SCOPED_ROOTS = new Set(['contact', 'flow']);

export function resolveValue(scope: ValueScope, path: string): unknown {
  const [root, ...rest] = path.split('.');
  if (root !== undefined && SCOPED_ROOTS.has(root) && rest.length > 0) {
    return readPath(root === 'contact' ? scope.contact : scope.flow, rest.join('.'));
  }
  return readPath(scope.variables, path);
}

/** The variable a path reads, or null for `contact.*` / `flow.*`. */
export function variableOfPath(path: string): string | null {
  const [root, ...rest] = path.split('.');
  if (root === undefined || root === '') return null;
  if (SCOPED_ROOTS.has(root) && rest.length > 0) return null;
  return root;
}
