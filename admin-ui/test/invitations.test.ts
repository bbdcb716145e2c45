import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { choose, expectNoConsoleErrors, launchChromium, openPage, settled, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const INVITEE = 'ines.invited@example.com';
const PASSWORD = 'a-long-enough-password';
// Screenshots of this flow are looked at, not published: a temporary directory.
const SHOTS = mkdtempSync(join(tmpdir(), 'parley-invitations-'));

let parley: ParleyServer;
let browser: Browser;
let workspaceName: string;

async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  workspaceName = (await apiCall<{ name: string }>(parley.url, token, 'GET', '/workspace')).name;
  console.info(`invitation screenshots: ${SHOTS}`);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('invitations', () => {
  it('an admin invites a person, who signs in, accepts and sees the workspace', async () => {
    const admin = await openPage(browser, parley.url);
    await admin.page.setViewportSize({ width: 1280, height: 720 });
    await signIn(admin.page, parley.adminEmail, parley.adminPassword);
    await admin.page.getByRole('link', { name: 'Users' }).click();
    for (const email of [INVITEE, 'typo@example.com']) {
      await admin.page.getByRole('button', { name: 'Add person' }).click();
      const dialog = admin.page.getByRole('dialog', { name: 'Add a person' });
      await dialog.getByText('We send them an invitation').waitFor();
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Password').fill(PASSWORD);
      await choose(dialog, admin.page, 'Role', 'Editor');
      if (email === INVITEE) await shot(admin.page, '1-add-person');
      await dialog.getByRole('button', { name: 'Send invitation' }).click();
      await admin.page.getByRole('cell', { name: email, exact: true }).waitFor();
    }
    const pending = admin.page.getByRole('region', { name: 'Pending invitations' });
    await pending.getByRole('cell', { name: INVITEE, exact: true }).waitFor();
    await shot(admin.page, '2-pending-invitations');
    // A mistaken invitation is revoked.
    await admin.page.getByRole('button', { name: 'Revoke the invitation for typo@example.com' }).click();
    await admin.page
      .getByRole('cell', { name: 'typo@example.com', exact: true })
      .waitFor({ state: 'detached' });

    // The invitee belongs to no workspace yet: sign-in lands on their invitations.
    const invitee = await openPage(browser, parley.url);
    await invitee.page.setViewportSize({ width: 1280, height: 720 });
    await invitee.page.goto('/');
    await invitee.page.getByLabel('Email').fill(INVITEE);
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await invitee.page.getByRole('button', { name: 'Sign in' }).click();
    await invitee.page.getByRole('heading', { name: 'Invitations' }).waitFor();
    const card = invitee.page.getByRole('listitem').filter({ hasText: workspaceName });
    await card.getByText(`You are invited as an editor by ${parley.adminEmail}`).waitFor();
    expect(await invitee.page.getByText('typo@example.com').count()).toBe(0);
    await shot(invitee.page, '3-invitee-invitations');
    await card.getByRole('button', { name: 'Accept' }).click();

    await invitee.page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();
    await invitee.page.getByText(`You joined ${workspaceName}.`).waitFor();
    await invitee.page
      .getByRole('combobox', { name: 'Workspace' })
      .filter({ hasText: workspaceName })
      .waitFor();
    await invitee.page.getByRole('button', { name: 'New flow' }).waitFor();
    await shot(invitee.page, '4-invitee-joined');

    // The admin now sees a member, and no pending invitation.
    await admin.page.reload();
    await admin.page.getByRole('cell', { name: INVITEE, exact: true }).waitFor();
    expect(await admin.page.getByRole('region', { name: 'Pending invitations' }).count()).toBe(0);
    await shot(admin.page, '5-admin-members');

    expectNoConsoleErrors(admin.errors);
    // Before accepting, the invitee is in no workspace: /me answers 403 by design and the app shows the invitations.
    expectNoConsoleErrors(invitee.errors, [/status of 403/]);
    await admin.context.close();
    await invitee.context.close();
  }, 90_000);
});
