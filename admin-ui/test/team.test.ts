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
    await choose(dialog, page, 'Role', 'Agent');
    const help = dialog.locator('#user-role-help');
    await help.getByText('Everything a viewer can, and:').waitFor();
    await help
      .getByText('Answer contacts handed off to a person in the inbox, with text, pictures and documents')
      .waitFor();
    expect(await help.textContent()).not.toMatch(/publish/i);
    await choose(dialog, page, 'Role', 'Editor');
    await help.getByText('Everything an agent can, and:').waitFor();
    await help.getByText('Publish flows and go back to an earlier version').waitFor();
    // Connecting numbers is an admin's: the dialog no longer says editors do it.
    expect(await help.textContent()).not.toMatch(/connect/i);
    await choose(dialog, page, 'Role', 'Admin');
    await help
      .getByText('Add, connect (and cancel connecting), log out and delete WhatsApp numbers')
      .waitFor();
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

  it('lets a person change their own password and sign out everywhere', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    const phone = await apiLogin(parley.url, 'vi@example.com', PASSWORD);
    await signIn(page, 'vi@example.com', PASSWORD);
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Change password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change your password' });
    await dialog.getByLabel('Current password').fill('not my password');
    await dialog.getByLabel('New password', { exact: true }).fill('a newer long password');
    await dialog.getByLabel('New password again').fill('a newer long passwordx');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('The two new passwords differ.').waitFor();
    await dialog.getByLabel('New password again').fill('a newer long password');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await dialog.getByText('This is not your current password.').waitFor();
    await screenshot(page, 'account-change-password');
    // A wrong password earns a short wait before the next check.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await dialog.getByLabel('Current password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your other devices are signed out; this one stays signed in.').waitFor();
    // The other device is signed out; this page goes on.
    await expect(apiCall(parley.url, phone, 'GET', '/me')).rejects.toThrow(/401/);
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
    await page
      .getByRole('alertdialog', { name: 'Sign out on every device?' })
      .getByRole('button', { name: 'Sign out everywhere' })
      .click();
    await page.getByText('You are signed out on every device.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The wrong current password was refused with a 400, which the browser logs as a failed request.
    expectNoConsoleErrors(errors, [/400/]);
    await page.context().close();
  });

  it('hands a person who lost their password a one-time link, which sets a new one', async () => {
    const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
    await apiCall(parley.url, token, 'POST', '/users', {
      email: 'lu@example.com',
      password: PASSWORD,
      role: 'viewer',
    });
    await acceptInvitations(parley.url, 'lu@example.com', PASSWORD);
    const { page, context, errors } = await openPage(browser, parley.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Reset the password of lu@example.com' }).click();
    await page
      .getByRole('alertdialog', { name: 'Make a password reset link for lu@example.com?' })
      .getByRole('button', { name: 'Make the link' })
      .click();
    const shown = page.getByRole('dialog', { name: 'Password reset link for lu@example.com' });
    const link = await shown.getByRole('textbox', { name: 'Reset link' }).inputValue();
    expect(link).toMatch(/\/reset-password#code=[A-Za-z0-9_-]{43}$/);
    await shown.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await screenshot(page, 'users-reset-link');
    await shown.getByRole('button', { name: 'Done' }).click();
    expectNoConsoleErrors(errors);
    await context.close();

    // Lu opens the link on their phone.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const lu = await phone.newPage();
    await lu.goto(link);
    await lu.getByLabel('New password', { exact: true }).fill('lu’s new long password');
    await lu.getByLabel('New password again').fill('lu’s new long password');
    await lu.getByRole('button', { name: 'Set the new password' }).click();
    await lu.getByText('Your new password is set.', { exact: false }).waitFor();
    await screenshot(lu, 'reset-password-done');
    // The link works once: opened again later, it says so.
    const later = await phone.newPage();
    await later.goto(link);
    await later.getByLabel('New password', { exact: true }).fill('another long password');
    await later.getByLabel('New password again').fill('another long password');
    await later.getByRole('button', { name: 'Set the new password' }).click();
    await later.getByText('This reset link does not work any more', { exact: false }).waitFor();
    expect(await apiLogin(parley.url, 'lu@example.com', 'lu’s new long password')).toBeTruthy();
    await phone.close();
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
