/**
 * Several workspaces, walked as people do: an admin creates a second workspace from the sidebar,
 * switches between them, renames it and invites a person of the first one as an editor; that
 * person sees nothing of it until they accept, then switches to it. Editors and viewers walk the
 * users and workspace screens: no admin controls, and words that say what their role lets them do.
 * At a laptop's 1280×720 and a phone's 390×844.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import { choose, expectNoConsoleErrors, launchChromium, openPage, settled, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'a-long-enough-password';
const ANN = 'ann.editor@example.com';
const VIC = 'vic.viewer@example.com';
const SECOND = 'Clinic North';
const RENAMED = 'Clinic North & South';
// Looked at while writing the test, not published: a temporary directory.
const SHOTS = mkdtempSync(join(tmpdir(), 'parley-workspaces-'));

let parley: ParleyServer;
let browser: Browser;
let first: string;

async function shot(page: Page, name: string): Promise<void> {
  await settled(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Whether anything is wider than the screen: the page itself, or the main area beside the menu. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const wide: string[] = [];
    const root = document.scrollingElement;
    if (root !== null && root.scrollWidth > window.innerWidth) wide.push(`page ${root.scrollWidth}px`);
    for (const main of document.querySelectorAll('main')) {
      if (main.scrollWidth > main.clientWidth + 1) wide.push(`main ${main.scrollWidth}px`);
    }
    return wide;
  });
}

/** The names of the flows on the Flows page, once it shows `expected`. */
async function flowNames(page: Page, expected: string): Promise<string[]> {
  await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();
  await page.getByRole('link', { name: expected, exact: true }).first().waitFor();
  return page.getByRole('main').getByRole('link').allInnerTexts();
}

/** The workspaces the sidebar's select offers (it is closed again afterwards). */
async function workspaceOptions(page: Page): Promise<string[]> {
  await page.getByRole('combobox', { name: 'Workspace', exact: true }).click();
  const options = await page.getByRole('option').allInnerTexts();
  await page.keyboard.press('Escape');
  await page.getByRole('option').first().waitFor({ state: 'detached' });
  return options;
}

/** The Users page refuses someone who is not an admin, in words. */
async function usersPageIsForAdmins(page: Page): Promise<void> {
  expect(
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).count(),
  ).toBe(0);
  await page.goto('/users');
  await page.getByRole('heading', { name: 'This page is for workspace admins' }).waitFor();
  await page.getByText('Ask an admin of this workspace if you need access.').waitFor();
  expect(await page.getByRole('button', { name: 'Add person' }).count()).toBe(0);
  expect(await page.getByRole('cell').count()).toBe(0);
}

/** The Workspace screen for a non-admin: the name to read, no rename, and what their role may do. */
async function workspaceScreenWithoutAdminControls(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { name: 'Workspace', exact: true }).waitFor();
  await page.getByText('Only an admin of this workspace can rename it.').waitFor();
  await page.getByRole('main').getByText(name, { exact: true }).waitFor();
  expect(await page.getByRole('textbox').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Rename' }).count()).toBe(0);
  const adminOnly = page.getByRole('list', { name: 'What needs an admin' });
  await adminOnly.getByText('Add and remove people, change their roles and reset their passwords').waitFor();
  await adminOnly
    .getByText('Add, connect (and cancel connecting), log out and delete WhatsApp numbers')
    .waitFor();
  const everyone = page.getByRole('list', { name: 'What anyone signed in can do' });
  await everyone.getByText('Create new workspaces, as their admin').waitFor();
}

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  first = (await apiCall<{ name: string }>(parley.url, token, 'GET', '/workspace')).name;
  // What the first workspace holds, which the second must not show.
  await apiCall(parley.url, token, 'POST', '/flows', { name: 'Only in the first' });
  await apiCall(parley.url, token, 'POST', '/numbers', { phone: '+14155550101', label: 'First desk' });
  // Ann and Vic already work in the first workspace, as viewers.
  for (const email of [ANN, VIC]) {
    await apiCall(parley.url, token, 'POST', '/users', { email, password: PASSWORD, role: 'viewer' });
    await acceptInvitations(parley.url, email, PASSWORD);
  }
  console.info(`workspace screenshots: ${SHOTS}`);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('several workspaces', () => {
  it('an admin creates a workspace, switches, renames it and invites people of the first one', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    const select = page.getByRole('combobox', { name: 'Workspace', exact: true });
    await select.filter({ hasText: first }).waitFor();

    await choose(page, page, 'Workspace', 'New workspace…');
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await dialog.getByText('Give the workspace a name.').waitFor();
    await dialog.getByLabel('Name').fill('    ');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await dialog.getByText('Give the workspace a name.').waitFor();
    await dialog.getByLabel('Name').fill('x'.repeat(101));
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await dialog
      .getByText('A workspace name can be at most 100 characters; this one has 101. Shorten it.')
      .waitFor();
    await dialog.getByLabel('Name').fill(`  ${SECOND} `);
    await shot(page, '1-new-workspace');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();

    // In the new workspace: its sample flow, none of the first one's flows or numbers.
    await page.getByText(`${SECOND} is ready`).waitFor();
    await select.filter({ hasText: SECOND }).waitFor();
    const flows = await flowNames(page, 'Sample: appointment request');
    expect(flows.join('\n')).not.toContain('Only in the first');
    await shot(page, '2-new-workspace-flows');
    await page.getByRole('link', { name: 'Numbers' }).click();
    await page.getByRole('heading', { name: 'Numbers', exact: true }).waitFor();
    await page.getByText('No numbers yet').waitFor();
    expect(await page.getByText('First desk').count()).toBe(0);

    // Back to the first workspace and again to the second: each shows its own.
    await choose(page, page, 'Workspace', first);
    expect(await flowNames(page, 'Only in the first')).toContain('Only in the first');
    await page.getByRole('link', { name: 'Numbers' }).click();
    await page.getByText('First desk').waitFor();
    await choose(page, page, 'Workspace', SECOND);
    await page.getByRole('link', { name: 'Sample: appointment request' }).waitFor();

    // Renaming, on the Workspace screen.
    await page.getByRole('link', { name: 'Workspace', exact: true }).click();
    await page.getByRole('heading', { name: 'Workspace', exact: true }).waitFor();
    const name = page.getByRole('textbox', { name: 'Name' });
    expect(await name.inputValue()).toBe(SECOND);
    await name.fill(' ');
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText('Give the workspace a name.').waitFor();
    await name.fill(RENAMED);
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByText(`Everyone in it now sees “${RENAMED}”.`).waitFor();
    await select.filter({ hasText: RENAMED }).waitFor();
    await page.getByRole('list', { name: 'What an admin can do' }).getByText('Read the audit log').waitFor();
    await shot(page, '3-renamed');
    expect(await workspaceOptions(page)).toEqual([first, RENAMED, 'New workspace…']);

    // Ann joins as an editor, Vic as a viewer: people who already have an account.
    await page.getByRole('link', { name: 'Users' }).click();
    // The people of the first workspace are not this one's.
    await page.getByRole('cell', { name: `${parley.adminEmail}(you)`, exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: ANN, exact: true }).count()).toBe(0);
    expect(await page.getByRole('cell', { name: VIC, exact: true }).count()).toBe(0);
    for (const [email, role] of [
      [ANN, 'Editor'],
      [VIC, 'Viewer'],
    ] as const) {
      await page.getByRole('button', { name: 'Add person' }).click();
      const adding = page.getByRole('dialog', { name: 'Add a person' });
      await adding.getByLabel('Email').fill(email);
      await adding.getByLabel('Password').fill('the-admin-does-not-know-it');
      await choose(adding, page, 'Role', role);
      await adding.getByRole('button', { name: 'Send invitation' }).click();
      await page
        .getByRole('region', { name: 'Pending invitations' })
        .getByRole('cell', { name: email, exact: true })
        .waitFor();
    }
    await shot(page, '4-invited');
    // The Users page on a phone: the people and the invitations fit, the actions named by their labels.
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: `Revoke the invitation for ${VIC}` }).waitFor();
    await page.getByRole('banner').first().getByText(RENAMED).waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    await shot(page, '4-phone-invited');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 120_000);

  it('the invited editor sees nothing of it before accepting, then switches to it', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, ANN, PASSWORD);
    expect(await workspaceOptions(page)).toEqual([first, 'New workspace…']);
    await flowNames(page, 'Only in the first');
    await page.getByText(`You are invited to join ${RENAMED}.`).waitFor();
    await page.getByRole('link', { name: 'See invitations' }).click();
    const card = page.getByRole('listitem').filter({ hasText: RENAMED });
    await card.getByText(`You are invited as an editor by ${parley.adminEmail}`).waitFor();
    await card.getByRole('button', { name: 'Accept' }).click();

    await page.getByText(`You joined ${RENAMED}.`).waitFor();
    await page
      .getByRole('combobox', { name: 'Workspace', exact: true })
      .filter({ hasText: RENAMED })
      .waitFor();
    expect((await flowNames(page, 'Sample: appointment request')).join('\n')).not.toContain(
      'Only in the first',
    );
    // An editor builds flows.
    await page.getByRole('button', { name: 'New flow' }).waitFor();
    await shot(page, '5-editor-joined');

    await usersPageIsForAdmins(page);
    await page.getByRole('link', { name: 'Workspace', exact: true }).click();
    await workspaceScreenWithoutAdminControls(page, RENAMED);
    await page.getByText('You are Editor in').waitFor();
    const can = page.getByRole('list', { name: 'What an editor can do' });
    await can.getByText('Publish flows and go back to an earlier version').waitFor();
    await can.getByText('See flows, their versions and what changed between them').waitFor();
    expect(await page.getByRole('list', { name: 'What needs an editor' }).count()).toBe(0);
    await shot(page, '6-editor-workspace');

    // In the first workspace Ann is still a viewer.
    await choose(page, page, 'Workspace', first);
    await page.getByRole('link', { name: 'Only in the first' }).waitFor();
    expect(await page.getByRole('button', { name: 'New flow' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Workspace', exact: true }).click();
    await page.getByText('You are Viewer in').waitFor();
    await page.getByRole('main').getByText(first, { exact: true }).waitFor();

    // On a phone: the workspace's name stays in view, the screens fit.
    await page.setViewportSize(PHONE);
    const bar = page.getByRole('banner').first();
    await bar.getByText(first).waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    await shot(page, '7-phone-viewer-workspace');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 120_000);

  it('a viewer walks the screens on a phone, and creates a workspace of their own', async () => {
    await acceptInvitations(parley.url, VIC, PASSWORD);
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(PHONE);
    await signIn(page, VIC, PASSWORD);
    await page.getByRole('banner').first().getByText(first).waitFor();
    await page.getByRole('button', { name: 'Open the menu' }).click();
    const menu = page.getByRole('dialog', { name: 'Menu' });
    await choose(menu, page, 'Workspace', RENAMED);
    await page.getByRole('banner').first().getByText(RENAMED).waitFor();
    await page.getByRole('link', { name: 'Sample: appointment request' }).waitFor();
    expect(await page.getByRole('button', { name: 'New flow' }).count()).toBe(0);
    await shot(page, '8-phone-viewer-flows');

    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Workspace' }).click();
    await workspaceScreenWithoutAdminControls(page, RENAMED);
    await page.getByText('You are Viewer in').waitFor();
    await page
      .getByRole('list', { name: 'What a viewer can do' })
      .getByText('See the WhatsApp numbers and whether they are connected')
      .waitFor();
    await page
      .getByRole('list', { name: 'What needs an editor' })
      .getByText('Build, import, copy, delete and restore flows')
      .waitFor();
    await page.getByText('Need more? Ask an admin of this workspace to change your role.').waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    await shot(page, '9-phone-viewer-workspace');
    await usersPageIsForAdmins(page);
    expect(await horizontalOverflow(page)).toEqual([]);

    // Anyone may start a workspace of their own, and is its admin.
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await choose(page.getByRole('dialog', { name: 'Menu' }), page, 'Workspace', 'New workspace…');
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Name').fill('Vic’s shop');
    await shot(page, '10-phone-new-workspace');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByText('Vic’s shop is ready').waitFor();
    await page.getByRole('banner').first().getByText('Vic’s shop').waitFor();
    await page.getByRole('link', { name: 'Sample: appointment request' }).waitFor();
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'vic.viewer@example.com(you)' }).waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    await shot(page, '11-phone-own-workspace-users');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 120_000);

  it('someone in no workspace starts one of their own from the invitations page', async () => {
    // An account whose invitation was withdrawn: it belongs to no workspace.
    const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
    const invitation = await apiCall<{ id: string }>(parley.url, token, 'POST', '/users', {
      email: 'nora@example.com',
      password: PASSWORD,
      role: 'viewer',
    });
    await apiCall(parley.url, token, 'DELETE', `/users/invitations/${invitation.id}`);

    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await page.goto('/');
    await page.getByLabel('Email').fill('nora@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No invitations right now').waitFor();
    await page.getByText('or create a workspace of your own.', { exact: false }).waitFor();
    await shot(page, '12-no-workspace-invitations');
    await page.getByRole('button', { name: 'Create a workspace' }).click();
    const dialog = page.getByRole('dialog', { name: 'New workspace' });
    await dialog.getByLabel('Name').fill('Nora’s bakery');
    await dialog.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();
    await page
      .getByRole('combobox', { name: 'Workspace', exact: true })
      .filter({ hasText: 'Nora’s bakery' })
      .waitFor();
    await page.getByRole('link', { name: 'Sample: appointment request' }).waitFor();
    await page.getByRole('button', { name: 'Account menu' }).getByText('Admin').waitFor();
    expect(await workspaceOptions(page)).toEqual(['Nora’s bakery', 'New workspace…']);
    await shot(page, '13-own-workspace-from-invitations');
    // Before creating it, /me answered 403 by design: the app showed the invitations page.
    expectNoConsoleErrors(errors, [/status of 403/]);
    await context.close();
  }, 60_000);
});
