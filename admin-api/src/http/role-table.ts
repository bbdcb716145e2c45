import { CAPABILITIES } from '@parley/contract';
import type { RouteDefinition } from './route.js';

/**
 * Refuses routes whose access disagrees with the role table the UI describes roles from: a route
 * missing from it (every route but the public ones, signed-in ones too), listed under another
 * role, or a listed operation no route serves.
 */
export function checkRoleTable(routes: readonly RouteDefinition[]): void {
  const listed = new Map(
    CAPABILITIES.flatMap((capability) => capability.operations.map((key) => [key, capability.role] as const)),
  );
  const problems: string[] = [];
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    const role = listed.get(key);
    listed.delete(key);
    if (route.access === 'public') {
      if (role !== undefined) problems.push(`${key} is public but the role table lists it`);
    } else if (role === undefined) {
      problems.push(`${key} (${route.access}) is missing from the role table`);
    } else if (role !== route.access) {
      problems.push(`${key} needs ${route.access} but the role table says ${role}`);
    }
  }
  for (const key of listed.keys()) problems.push(`the role table lists ${key}, which no route serves`);
  if (problems.length > 0) {
    throw new Error(
      `The role table (contract/src/roles.ts) disagrees with the routes:\n${problems.join('\n')}`,
    );
  }
}
