/**
 * Recovery without the UI: `parley admin reset-password EMAIL` prints a one-time password that
 * signs in once and asks for a new password; it is audited, refuses unknown emails in plain words,
 * and will not touch an embedded data folder a running Parley holds.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPgliteDb } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApi, type TestApi } from './support/test-api.js';

const PARLEY = fileURLToPath(new URL('../../cli/bin/parley.js', import.meta.url));
const NEW_PASSWORD = 'my new admin password';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function parley(args: string[], env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [PARLEY, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (cause) {
    const failed = cause as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The one-time password: the indented line after the heading. */
const oneTimePassword = (stdout: string) => /^ {2}(\S{40,})$/m.exec(stdout)?.[1] as string;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

describe('parley admin reset-password', () => {
  it('prints a one-time password that signs in once and must be replaced', async () => {
    const run = await parley(['admin', 'reset-password', ADMIN_EMAIL.toUpperCase()], {
      DATABASE_URL: api.databaseUrl,
      PARLEY_PUBLIC_URL: 'https://parley.example.com',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`One-time password for ${ADMIN_EMAIL}:`);
    const code = oneTimePassword(run.stdout);
    expect(run.stdout).toContain(`https://parley.example.com/reset-password#code=${code}`);

    // The old password still works: only the person decides to replace it.
    expect(
      (await api.call('post', '/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } }))
        .status,
    ).toBe(200);

    const signedIn = await api.call('post', '/auth/login', { body: { email: ADMIN_EMAIL, password: code } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.passwordChangeRequired).toBe(true);
    const token = signedIn.body.token as string;
    expect((await api.call('get', '/me', { token })).body.passwordChangeRequired).toBe(true);

    // Once: the same code no longer signs in.
    const again = await api.call('post', '/auth/login', { body: { email: ADMIN_EMAIL, password: code } });
    expect(again.status).toBe(401);

    // No current password needed in this session: it is what was lost.
    const changed = await api.call('post', '/auth/password', { token, body: { newPassword: NEW_PASSWORD } });
    expect(changed.status).toBe(204);
    expect((await api.call('get', '/me', { token })).body.passwordChangeRequired).toBeUndefined();
    // Past the wait the refused second try earned (1 s): time passing is the behaviour here.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const fresh = await api.login(ADMIN_EMAIL, NEW_PASSWORD);
    expect((await fresh.call('get', '/me')).status).toBe(200);
    // A normal session still needs the current password.
    const withoutCurrent = await fresh.call('post', '/auth/password', {
      newPassword: 'yet another password',
    });
    expect(withoutCurrent.status).toBe(400);
    expect(withoutCurrent.body.error.message).toBe('Type your current password.');

    const audit = await fresh.call('get', '/audit?limit=50');
    const entry = audit.body.items.find(
      (item: { action: string }) => item.action === 'member.password_reset',
    );
    expect(entry).toMatchObject({ userId: null, after: { email: ADMIN_EMAIL, by: 'command line' } });
    expect(JSON.stringify(audit.body)).not.toContain(code);
  });

  it('refuses an unknown email, naming the accounts there are', async () => {
    const run = await parley(['admin', 'reset-password', 'nobody@example.com'], {
      DATABASE_URL: api.databaseUrl,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `parley: No account has the email nobody@example.com. Accounts here: ${ADMIN_EMAIL}\n`,
    );
  });

  it('explains its usage when the email is missing', async () => {
    const run = await parley(['admin', 'reset-password'], { DATABASE_URL: api.databaseUrl });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('parley: reset-password takes one email');
    expect(run.stderr).toContain('parley admin reset-password EMAIL');
  });

  it('asks to stop Parley first while it holds the embedded data folder', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    const running = await createPgliteDb(join(dataDir, 'pglite'));
    try {
      const run = await parley(['admin', 'reset-password', ADMIN_EMAIL], { PARLEY_DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `parley: Parley is running on the data folder ${dataDir}. Stop Parley first (Ctrl+C where it runs), then run this again.\n`,
      );
      // The running one is untouched.
      await expect(running.query('select 1 as one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    } finally {
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
