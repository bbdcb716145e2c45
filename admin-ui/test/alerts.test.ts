/**
 * The Alerts page: an admin sets up what to watch (a private webhook address is refused in plain
 * words), changes a rule and turns it off; a viewer sees the alerts but no rules. At a laptop's
 * 1280×720 and on a phone.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase } from '@parley/db/testing';
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

describe('an alert on the page', () => {
  // Postgres instead of the embedded database, so the test can set a number's state as a runtime would.
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: ParleyServer;
  let hook: Server;

  beforeAll(async () => {
    database = await createTestDatabase();
    hook = createServer((_request, response) => {
      response.statusCode = 503;
      response.end();
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    server = await startParley({
      DATABASE_URL: database.url,
      PARLEY_ALERT_CHECK_S: '1',
      PARLEY_ALLOW_PRIVATE_HTTP: '1',
    });
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => hook?.close(resolve));
    await database?.drop();
  });

  it('shows an open alert and why its webhook notice was not sent, then the alert resolved', async () => {
    const token = await apiLogin(server.url, server.adminEmail, server.adminPassword);
    const { port } = hook.address() as AddressInfo;
    await apiCall(server.url, token, 'POST', '/alert-rules', {
      name: 'Numbers down',
      kind: 'number_down',
      params: { minutes: 5 },
      webhookUrl: `http://127.0.0.1:${port}/hook`,
    });
    const { rows } = await database.db.query<{ id: string }>(
      `insert into numbers (workspace_id, phone, label, state, desired_connected, updated_at)
       select workspace_id, '+14155550111', 'Front desk', 'logged_out', true, now() - interval '40 minutes'
       from workspace_members limit 1 returning id`,
    );
    const { page, context, errors } = await openPage(browser, server.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, server.adminEmail, server.adminPassword);
    await openAlerts(page, false);
    const alerts = page.getByRole('list', { name: 'Alerts' });
    await alerts
      .getByText('WhatsApp number Front desk (+14155550111) has been logged out for 40 minutes', {
        exact: false,
      })
      .waitFor();
    await alerts.getByText('Open', { exact: true }).waitFor();
    await alerts
      .getByText('Webhook notice not sent yet (tried 1 time, trying again): The webhook answered HTTP 503', {
        exact: false,
      })
      .waitFor();
    await screenshot(page, 'alerts-open');

    await database.db.query(`update numbers set state = 'connected', updated_at = now() where id = $1`, [
      rows[0]?.id,
    ]);
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('heading', { name: 'Alerts', exact: true }).waitFor();
          return alerts.getByText('Resolved', { exact: true }).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
