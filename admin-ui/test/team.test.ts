/**
 * An admin manages the team on the Users page: reads what each role may do, gives a person another
 * role, removes a person, and is told in words why the only admin cannot step down.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import {
  choose,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const PASSWORD = 'a-long-enough-password';
let parley: ParleyServer;
let browser: Browser;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  for (const [email, role] of [
    ['ed@example.com', 'editor'],
    ['vi@example.com', 'viewer'],
  ] as const) {
    await apiCall(parley.url, token, 'POST', '/users', { email, password: PASSWORD, role });
    await acceptInvitations(parley.url, email, PASSWORD);
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('the team on the Users page', () => {
  it('says what each role may do, from the table the API enforces', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Add person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a person' });
    await choose(dialog, page, 'Role', 'Editor');
    const help = dialog.locator('#user-role-help');
    await help.getByText('Everything a viewer can, and:').waitFor();
    await help.getByText('Publish flows and go back to an earlier version').waitFor();
    // Connecting numbers is an admin's: the dialog no longer says editors do it.
    expect(await help.textContent()).not.toMatch(/connect/i);
    await choose(dialog, page, 'Role', 'Admin');
    await help.getByText('Add, connect, log out and delete WhatsApp numbers').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expectNoConsoleErrors(errors);
    await page.context().close();
  });

  it('gives a person another role after a confirmation, and the person feels it at once', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await choose(page, page, 'Role of vi@example.com', 'Editor');
    const confirm = page.getByRole('alertdialog', { name: 'Make vi@example.com an editor?' });
    await confirm.getByText('Try flows in the live test').waitFor();
    await screenshot(page, 'users-change-role');
    await confirm.getByRole('button', { name: 'Make editor' }).click();
    await page.getByText('vi@example.com is now an editor').waitFor();
    const token = await apiLogin(parley.url, 'vi@example.com', PASSWORD);
    const made = await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', { name: 'By Vi' });
    expect(made.id).toBeTruthy();
    expectNoConsoleErrors(errors);
    await page.context().close();
  });

  it('removes a person after a confirmation; cancelling changes nothing', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Remove ed@example.com' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Remove ed@example.com from this workspace?' });
    await confirm.getByText('They lose access to this workspace at once.', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('cell', { name: 'ed@example.com', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Remove ed@example.com' }).click();
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText('ed@example.com was removed').waitFor();
    await page.getByRole('cell', { name: 'ed@example.com', exact: true }).waitFor({ state: 'detached' });
    expectNoConsoleErrors(errors);
    await page.context().close();
  });

  it('tells the only admin why they cannot step down, and changes nothing', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await choose(page, page, `Role of ${parley.adminEmail}`, 'Viewer');
    await page
      .getByRole('alertdialog', { name: 'Make yourself a viewer?' })
      .getByRole('button', { name: 'Make viewer' })
      .click();
    await page
      .getByText('you are the only admin of this workspace. Make someone else an admin first.', {
        exact: false,
      })
      .waitFor();
    await screenshot(page, 'users-last-admin');
    await page.reload();
    await page
      .getByRole('combobox', { name: `Role of ${parley.adminEmail}` })
      .filter({ hasText: 'Admin' })
      .waitFor();
    // The refusal is an expected answer (409), which the browser logs as a failed request.
    expectNoConsoleErrors(errors, [/409/]);
    await page.context().close();
  });
});
