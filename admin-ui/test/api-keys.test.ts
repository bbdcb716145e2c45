/**
 * An admin makes an API key on the API keys page, copies it (shown once), a script uses it over
 * HTTP, and the admin revokes it: the script is refused at once. Editors and viewers see no such
 * page. At a laptop's 1280×720 and on a phone.
 */
import type { Browser, Page } from 'playwright-core';
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
const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const KEY_FORMAT = /^pk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

let parley: ParleyServer;
let browser: Browser;
let flowId: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', { name: 'Intake' })).id;
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

/** A script's export of the flow's responses with the key, as the docs' curl example does it. */
function exportWith(key: string) {
  return fetch(`${parley.url}/api/v1/flows/${flowId}/responses/export?format=csv&status=completed`, {
    headers: { authorization: `Bearer ${key}` },
  });
}

/** Opens a page of the menu: the sidebar on a laptop, the menu on a phone. */
async function openFromMenu(page: Page, link: string, phone: boolean) {
  if (phone) {
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: link }).click();
  } else {
    await page.getByRole('link', { name: link }).click();
  }
}

async function menuLinks(page: Page, phone: boolean): Promise<string[]> {
  if (phone) await page.getByRole('button', { name: 'Open the menu' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Flows' }).waitFor();
  const links = await nav.getByRole('link').allTextContents();
  if (phone) await page.keyboard.press('Escape');
  return links.map((text) => text.trim());
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(
    await page.evaluate(() => {
      const root = document.scrollingElement;
      return (root?.scrollWidth ?? 0) <= window.innerWidth;
    }),
  ).toBe(true);
}

describe('API keys', () => {
  it('an admin makes a key, copies it once, a script uses it, and revoking stops it at once', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await openFromMenu(page, 'API keys', false);
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
    await page.getByText('No API keys yet').waitFor();

    await page.getByRole('button', { name: 'New key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    // What each role can do, from the role table; never people's or the workspace's settings.
    const help = dialog.locator('#key-role-help');
    await help.getByText('Read conversations, responses and analytics, and export responses').waitFor();
    expect(await help.textContent()).not.toMatch(/Publish flows/);
    await choose(dialog, page, 'Role', 'Editor');
    await help.getByText('Publish flows and go back to an earlier version').waitFor();
    expect(await help.textContent()).not.toMatch(/sign out|Add and remove people|API keys/);
    // Never admin.
    await dialog.getByRole('combobox', { name: 'Role', exact: true }).click();
    await page.getByRole('option', { name: 'Viewer', exact: true }).waitFor();
    expect(await page.getByRole('option').allTextContents()).toEqual(['Viewer', 'Editor']);
    await page.keyboard.press('Escape');
    await choose(dialog, page, 'Role', 'Viewer');
    await choose(dialog, page, 'Expires', 'In 30 days');
    await dialog.getByRole('button', { name: 'Make key' }).click();
    await dialog.getByText('Give the key a name that says what it is for.').waitFor();
    await dialog.getByLabel('Name').fill('Nightly export');
    await screenshot(page, 'api-keys-new');
    await dialog.getByRole('button', { name: 'Make key' }).click();

    const shown = page.getByRole('dialog', { name: 'Copy your key now' });
    await shown.getByText('This is the only time it is shown', { exact: false }).waitFor();
    const key = await shown.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(KEY_FORMAT);
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await page.getByText('Key copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await screenshot(page, 'api-keys-created');
    await shown.getByRole('button', { name: 'Done' }).click();

    const list = page.getByRole('list', { name: 'API keys' });
    const row = list.getByRole('listitem').filter({ hasText: 'Nightly export' });
    await row.getByText('Never used', { exact: false }).waitFor();
    await row.getByText(`${key.slice(0, 11)}_…`).waitFor();
    // The page never shows the key again.
    expect(await page.content()).not.toContain(key.slice(12));

    // The script's export, with the key copied from the page.
    const exported = await exportWith(key);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/text\/csv/);
    await page.reload();
    await row.getByText('Last used just now', { exact: false }).waitFor();
    await screenshot(page, 'api-keys');
    await noSidewaysScroll(page);

    await row.getByRole('button', { name: 'Revoke the key Nightly export' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Revoke the key Nightly export?' });
    await confirm.getByText('refused from its next request', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('Nightly export was revoked').waitFor();
    await row.getByText('Revoked', { exact: true }).waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);

    const refused = await exportWith(key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /revoked\. Ask an admin/,
    );
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('works on a phone: the menu leads to it, the dialog and the list fit', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(PHONE);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await openFromMenu(page, 'API keys', true);
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Name').fill('CI publish');
    await choose(dialog, page, 'Role', 'Editor');
    await choose(dialog, page, 'Expires', 'Never (until revoked)');
    await screenshot(page, 'phone-api-keys-new');
    await dialog.getByRole('button', { name: 'Make key' }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your key now' });
    const key = await shown.getByRole('textbox', { name: 'API key' }).inputValue();
    expect(key).toMatch(KEY_FORMAT);
    await shown.getByRole('button', { name: 'Done' }).click();
    const row = page
      .getByRole('list', { name: 'API keys' })
      .getByRole('listitem')
      .filter({ hasText: 'CI publish' });
    await row.getByText('Never expires', { exact: false }).waitFor();
    await noSidewaysScroll(page);
    await screenshot(page, 'phone-api-keys');
    // "Learn more" opens the help page on keys, with the curl example.
    const help = await page.getByRole('link', { name: 'Learn more about API keys' }).getAttribute('href');
    await page.goto(help ?? '');
    await page.getByRole('heading', { name: 'API keys', exact: true }).waitFor();
    await page.getByText('responses/export?format=csv', { exact: false }).waitFor();
    await noSidewaysScroll(page);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  for (const [email, role] of [
    ['ed@example.com', 'editor'],
    ['vi@example.com', 'viewer'],
  ] as const) {
    it(`${role === 'editor' ? 'an' : 'a'} ${role} sees no API keys, on a laptop or a phone`, async () => {
      const { page, context, errors } = await openPage(browser, parley.url);
      await signIn(page, email, PASSWORD);
      for (const [size, phone] of [
        [LAPTOP, false],
        [PHONE, true],
      ] as const) {
        await page.setViewportSize(size);
        await page.goto('/flows');
        await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();
        const links = await menuLinks(page, phone);
        expect(links).toContain('Flows');
        expect(links).not.toContain('API keys');
        await page.goto('/api-keys');
        await page.getByText('This page is for workspace admins').waitFor();
      }
      expectNoConsoleErrors(errors);
      await context.close();
    }, 60_000);
  }
});
