import { leadCapture } from '@parley/schemas';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import {
  block,
  choose,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let flowId: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Lead capture',
      definition: leadCapture,
    })
  ).id;
  await apiCall(parley.url, token, 'POST', '/flows', { name: 'Support triage' });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('roles', () => {
  it('an admin invites a viewer, an agent and an editor on the Users page', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: /^admin@parley\.test/ }).waitFor();
    for (const [email, role] of [
      ['vera.viewer@example.com', 'Viewer'],
      ['ana.agent@example.com', 'Agent'],
      ['ed.editor@example.com', 'Editor'],
    ] as const) {
      await page.getByRole('button', { name: 'Add person' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a person' });
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Password').fill('short');
      await dialog.getByRole('button', { name: 'Send invitation' }).click();
      await dialog.getByText('Use at least 10 characters.').waitFor();
      await dialog.getByLabel('Password').fill('a-long-enough-password');
      await choose(dialog, page, 'Role', role);
      await dialog.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByRole('cell', { name: email, exact: true }).waitFor();
      // Accepting through the UI is covered by invitations.test.ts.
      await acceptInvitations(parley.url, email, 'a-long-enough-password');
    }
    await screenshot(page, 'users');
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 60_000);

  it('a viewer sees flows but no control that changes anything', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, 'vera.viewer@example.com', 'a-long-enough-password');
    await page.getByRole('link', { name: 'Lead capture' }).waitFor();
    expect(await page.getByRole('button', { name: 'New flow' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Import' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Actions for Lead capture' }).click();
    await page.getByRole('menuitem', { name: 'View' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /Delete|Duplicate/ }).count()).toBe(0);
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Lead capture' }).click();
    await block(page, 'n3').waitFor();
    await page.getByText('Read only').waitFor();
    expect(await page.getByRole('navigation', { name: 'Blocks' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Undo' }).count()).toBe(0);

    // Blocks open read-only and cannot be moved or deleted.
    const position = () => block(page, 'n3').evaluate((element) => (element as HTMLElement).style.transform);
    const before = await block(page, 'n3').boundingBox();
    const placed = await position();
    await block(page, 'n3').click();
    const settings = page.getByRole('complementary', { name: 'Question settings' });
    expect(await settings.getByRole('textbox', { name: 'Question' }).isDisabled()).toBe(true);
    expect(await settings.getByRole('combobox', { name: 'Answer type' }).isDisabled()).toBe(true);
    expect(await settings.getByRole('button', { name: 'Delete Question' }).count()).toBe(0);
    await page.mouse.move(before!.x + 60, before!.y + 20);
    await page.mouse.down();
    await page.mouse.move(before!.x + 260, before!.y + 160, { steps: 8 });
    await page.mouse.up();
    await page.keyboard.press('Delete');
    expect(await position()).toBe(placed);
    await block(page, 'n3').waitFor();
    await screenshot(page, 'viewer-editor');
    await page.getByRole('link', { name: 'Back to flows' }).click();

    // And the server agrees: a viewer's write is refused.
    const token = await apiLogin(parley.url, 'vera.viewer@example.com', 'a-long-enough-password');
    await expect(apiCall(parley.url, token, 'POST', `/flows/${flowId}/publish`)).rejects.toThrow(/403/);
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 60_000);

  it('an agent reads flows but cannot change them, and is told what the role allows', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    // An agent's work is the inbox: that is where they land.
    await signIn(page, 'ana.agent@example.com', 'a-long-enough-password', 'Inbox');
    await page.goto('/flows');
    await page.getByRole('link', { name: 'Lead capture' }).waitFor();
    expect(await page.getByRole('button', { name: 'New flow' }).count()).toBe(0);
    await page.goto('/workspace');
    await page.getByText('An agent can:').waitFor();
    await page.getByText('Only editors and admins can:').waitFor();
    const token = await apiLogin(parley.url, 'ana.agent@example.com', 'a-long-enough-password');
    await expect(apiCall(parley.url, token, 'POST', `/flows/${flowId}/publish`)).rejects.toThrow(/403/);
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 60_000);

  it('an editor edits flows but does not administer users', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, 'ed.editor@example.com', 'a-long-enough-password');
    await page.getByRole('button', { name: 'New flow' }).waitFor();
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto('/users');
    await page.getByText('This page is for workspace admins').waitFor();
    await page.goto('/flows');
    await page.getByRole('link', { name: 'Lead capture' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Blocks' }).waitFor();
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 60_000);
});
