import { describe, expect, it } from 'vitest';
import { adminLoginLines } from './print-admin-login.js';

const URL = 'http://localhost:3000';

describe('what starting Parley prints', () => {
  it('shows a generated password once, with how to choose one', () => {
    const lines = adminLoginLines(
      { email: 'admin@x.test', generatedPassword: 'abc', created: true, passwordIgnored: false },
      URL,
    );
    expect(lines).toEqual([
      `Parley is running at ${URL}`,
      'Sign in as admin@x.test with password abc',
      '(generated now and shown only this once; set PARLEY_ADMIN_PASSWORD to choose it)',
    ]);
  });

  it('says when PARLEY_ADMIN_PASSWORD changed nothing, and how to get back in', () => {
    const lines = adminLoginLines(
      { email: 'admin@x.test', generatedPassword: null, created: false, passwordIgnored: true },
      URL,
    ).join('\n');
    expect(lines).toContain('PARLEY_ADMIN_PASSWORD is set, but it is only used to create the first admin');
    expect(lines).toContain('npx parley admin reset-password EMAIL');
  });

  it('stays quiet about it when no password was given', () => {
    const lines = adminLoginLines(
      { email: 'admin@x.test', generatedPassword: null, created: false, passwordIgnored: false },
      URL,
    ).join('\n');
    expect(lines).not.toContain('PARLEY_ADMIN_PASSWORD');
  });
});
