import { CAPABILITIES } from '@parley/contract';
import { describe, expect, it } from 'vitest';
import { checkRoleTable } from './role-table.js';
import type { RouteDefinition } from './route.js';

/** Routes exactly as the role table lists them. */
const listed = (): RouteDefinition[] =>
  CAPABILITIES.flatMap((capability) =>
    capability.operations.map((key) => {
      const [method, path] = key.split(' ') as [string, string];
      return {
        method: method.toLowerCase() as RouteDefinition['method'],
        path,
        summary: key,
        tag: 't',
        access: capability.role,
        responses: {},
        handler: async () => ({ status: 204 }),
      };
    }),
  );

describe('the role table against the routes', () => {
  it('accepts routes that match it, and public routes it does not list', () => {
    const login = { ...(listed()[0] as RouteDefinition), method: 'post' as const, path: '/auth/login' };
    expect(() => checkRoleTable([...listed(), { ...login, access: 'public' }])).not.toThrow();
  });

  it('names a route it lacks, a route under another role, and an operation nobody serves', () => {
    const routes = listed().filter((route) => route.path !== '/audit');
    const publish = routes.find((route) => route.path === '/flows/{id}/publish') as RouteDefinition;
    publish.access = 'viewer';
    const extra = {
      ...publish,
      method: 'post' as const,
      path: '/flows/{id}/archive',
      access: 'editor' as const,
    };
    expect(() => checkRoleTable([...routes, extra])).toThrow(
      [
        'The role table (contract/src/roles.ts) disagrees with the routes:',
        'POST /flows/{id}/publish needs viewer but the role table says editor',
        'POST /flows/{id}/archive (editor) is missing from the role table',
        'the role table lists GET /audit, which no route serves',
      ].join('\n'),
    );
  });

  it('lists signed-in routes too: one it lacks, or one served to a role instead, is named', () => {
    const routes = listed();
    const create = routes.find((route) => route.path === '/workspaces') as RouteDefinition;
    create.access = 'viewer';
    const leave = { ...create, path: '/workspaces/{id}/leave', access: 'signed_in' as const };
    expect(() => checkRoleTable([...routes, leave])).toThrow(
      [
        'The role table (contract/src/roles.ts) disagrees with the routes:',
        'POST /workspaces needs viewer but the role table says signed_in',
        'POST /workspaces/{id}/leave (signed_in) is missing from the role table',
      ].join('\n'),
    );
  });
});
