import { describe, expect, it } from 'vitest';
import { API_KEY_ROLES } from './enum-values.js';
import { CAPABILITIES, keyRoleCan, PEOPLE_ONLY_OPERATIONS, roleAdds } from './roles.js';

describe('what API keys may do, from the role table', () => {
  it('keeps people, keys and accounts for people', () => {
    for (const operation of [
      'GET /users',
      'POST /users/{id}/password-reset',
      'GET /api-keys',
      'POST /api-keys',
      'DELETE /api-keys/{id}',
      'GET /me',
      'POST /auth/logout',
    ]) {
      expect(PEOPLE_ONLY_OPERATIONS.has(operation), operation).toBe(true);
    }
    expect(PEOPLE_ONLY_OPERATIONS.has('GET /flows/{id}/responses/export')).toBe(false);
    expect(PEOPLE_ONLY_OPERATIONS.has('POST /flows/{id}/publish')).toBe(false);
  });

  it('describes a key role as everything its role allows but people’s own things, never an admin’s', () => {
    expect(API_KEY_ROLES).toEqual(['viewer', 'editor']);
    const viewer = keyRoleCan('viewer');
    const editor = keyRoleCan('editor');
    expect(viewer).toContain('Read conversations, responses and analytics, and export responses');
    expect(viewer).not.toContain('Publish flows and go back to an earlier version');
    expect(editor).toEqual(
      expect.arrayContaining([...viewer, 'Publish flows and go back to an earlier version']),
    );
    const refused = CAPABILITIES.filter((capability) => capability.peopleOnly === true).map((c) => c.does);
    for (const does of [...refused, ...roleAdds('admin')]) expect(editor).not.toContain(does);
  });
});
