/**
 * The Alerts page: an admin sets up what to watch (a private webhook address is refused in plain
 * words), changes a rule and turns it off; a viewer sees the alerts but no rules. At a laptop's
 * 1280×720 and on a phone.
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

let parley: ParleyServer;
let browser: Browser;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  await apiCall(parley.url, token, 'POST', '/users', {
    email: 'vi@example.com',
    password: PASSWORD,
    role: 'viewer',
  });
  await acceptInvitations(parley.url, 'vi@example.com', PASSWORD);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

async function openAlerts(page: Page, phone: boolean) {
  if (phone) {
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Alerts' }).click();
  } else {
    await page.getByRole('link', { name: 'Alerts' }).click();
  }
  await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) <= window.innerWidth)).toBe(
    true,
  );
}

describe('Alerts page', () => {
  it('an admin adds a rule, is told why a private webhook is refused, changes it and turns it off', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await openAlerts(page, false);
    await page.getByText('No alerts', { exact: true }).waitFor();
    await page.getByText('No alert rules yet').waitFor();

    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New alert rule' });
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.getByText('Give the rule a name that says what it watches.').waitFor();
    await dialog.getByLabel('Name').fill('Hand-offs waiting');
    await choose(dialog, page, 'Alert when', 'Hand-offs wait too long');
    await dialog.getByLabel('Alert after a wait of (minutes)').fill('20');
    await dialog.getByLabel('Webhook address (optional)').fill('http://127.0.0.1:9/hook');
    await dialog.getByLabel('Email to (optional)').fill('ops@example.com');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.getByText('127.0.0.1, a private or local address', { exact: false }).waitFor();
    await screenshot(page, 'alerts-new-rule');
    await dialog.getByLabel('Webhook address (optional)').fill('https://hooks.example.com/parley');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Hand-offs waiting is saved').waitFor();

    const rules = page.getByRole('list', { name: 'Alert rules' });
    const row = rules.getByRole('listitem').filter({ hasText: 'Hand-offs waiting' });
    await row.getByText('Hand-offs wait too long · sent to webhook and ops@example.com').waitFor();

    await row.getByRole('button', { name: 'Change the rule Hand-offs waiting' }).click();
    const change = page.getByRole('dialog', { name: 'Change Hand-offs waiting' });
    expect(await change.getByLabel('Alert after a wait of (minutes)').inputValue()).toBe('20');
    await change.getByLabel('Alert after a wait of (minutes)').fill('0');
    await change.getByRole('button', { name: 'Save rule' }).click();
    await change.getByText('Enter a whole number, 1 or more.').waitFor();
    await change.getByLabel('Alert after a wait of (minutes)').fill('30');
    await change.getByLabel('Email to (optional)').fill('');
    await change.getByRole('button', { name: 'Save rule' }).click();
    await row.getByText('Hand-offs wait too long · sent to webhook', { exact: true }).waitFor();

    await row.getByRole('button', { name: 'Turn off' }).click();
    await row.getByText('Off', { exact: true }).waitFor();
    await screenshot(page, 'alerts');
    await noSidewaysScroll(page);
    const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
    const stored = await apiCall<{ items: { params: unknown; enabled: boolean; emails: string[] }[] }>(
      parley.url,
      token,
      'GET',
      '/alert-rules',
    );
    expect(stored.items).toEqual([
      expect.objectContaining({ params: { minutes: 30 }, enabled: false, emails: [] }),
    ]);
    // The refused private address: the API's 400, shown in the dialog.
    expectNoConsoleErrors(errors, [/status of 400/]);
    await context.close();
  }, 60_000);

  it('a viewer on a phone sees the alerts, not the rules', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(PHONE);
    await signIn(page, 'vi@example.com', PASSWORD);
    await openAlerts(page, true);
    await page.getByText('Nothing has needed a person.').waitFor();
    expect(await page.getByRole('button', { name: 'New rule' }).count()).toBe(0);
    expect(await page.getByText('What to watch').count()).toBe(0);
    await noSidewaysScroll(page);
    await screenshot(page, 'phone-alerts');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
