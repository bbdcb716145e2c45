/**
 * An admin opens the Status screen and sees, in words, how each WhatsApp number runs: its
 * connection and why, the runtime holding it, what waits to be sent, failed sends and recent
 * problems. Editors do not get the screen. Checked at 1280×720 and on a phone.
 */
import { createTestDatabase } from '@parley/db/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const PASSWORD = 'a-long-enough-password';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let parley: ParleyServer;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  [parley, browser] = await Promise.all([startParley({ DATABASE_URL: database.url }), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  await apiCall(parley.url, token, 'POST', '/users', {
    email: 'ed@example.com',
    password: PASSWORD,
    role: 'editor',
  });
  await acceptInvitations(parley.url, 'ed@example.com', PASSWORD);
  const number = await apiCall<{ id: string }>(parley.url, token, 'POST', '/numbers', {
    phone: '+34600000000',
    label: 'Front desk',
  });
  await apiCall(parley.url, token, 'POST', '/numbers', { phone: '+34600000009', label: 'Sales' });
  // What a runtime records while the number struggles to reach WhatsApp, and a send that failed.
  const db = database.db;
  const reason = {
    code: 'web_unreachable',
    message: 'WhatsApp Web could not be reached from this server.',
    nextStep: 'Check the server’s internet connection and DNS, then try again.',
    detail: 'net::ERR_NAME_NOT_RESOLVED',
    attempt: 2,
    maxAttempts: 5,
    retryAt: new Date(Date.now() + 60_000).toISOString(),
  };
  await db.query(`update numbers set state = 'reconnecting', state_reason = $2::jsonb where id = $1`, [
    number.id,
    JSON.stringify(reason),
  ]);
  await db.query(
    `insert into session_events (workspace_id, number_id, state, detail, owner, at)
     select workspace_id, id, 'reconnecting', $2::jsonb, 'runtime-7f3a', now() - interval '4 minutes'
     from numbers where id = $1`,
    [number.id, JSON.stringify({ reason })],
  );
  await db.query(
    `insert into whatsapp_leases (number_id, fence, owner, acquired_at) values ($1, 1, 'runtime-7f3a', now() - interval '3 hours')`,
    [number.id],
  );
  for (const [status, minutes, error] of [
    ['queued', 6, null],
    ['queued', 2, null],
    ['failed', 30, 'The contact’s number is not on WhatsApp.'],
  ] as const) {
    await db.query(
      `insert into messages (workspace_id, number_id, contact, direction, body, status, last_error, created_at, updated_at)
       select workspace_id, id, '+34611111111', 'out', '{"text":"Your appointment is confirmed"}', $2, $3,
         now() - make_interval(mins => $4), now() - make_interval(mins => $4)
       from numbers where id = $1`,
      [number.id, status, error, minutes],
    );
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await database?.drop();
});

describe('the Status screen', () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 720 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`says how each number runs and what went wrong (${name})`, async () => {
      const { page, errors } = await openPage(browser, parley.url, viewport);
      await signIn(page, parley.adminEmail, parley.adminPassword);
      if (name === 'phone') await page.getByRole('button', { name: 'Open the menu' }).click();
      await page.getByRole('link', { name: 'Status' }).click();
      await page.getByRole('heading', { name: 'Status', exact: true }).waitFor();
      const desk = page.getByLabel('Status of Front desk');
      await desk.getByText('Retrying…').waitFor();
      await desk.getByText('Attempt 2 of 5 failed', { exact: false }).waitFor();
      await desk.getByText('WhatsApp Web could not be reached from this server', { exact: false }).waitFor();
      await desk.getByText('Held by runtime runtime-7f3a', { exact: false }).waitFor();
      expect(await desk.getByText('replies to send, oldest 6 minutes ago').count()).toBe(1);
      await page.getByLabel('Status of Sales').getByText('No runtime has taken this number yet').waitFor();
      const problems = page.getByRole('region', { name: 'Recent problems' });
      await problems.getByText('The contact’s number is not on WhatsApp.').waitFor();
      await screenshot(page, name === 'phone' ? 'phone-status' : 'status');
      expectNoConsoleErrors(errors);
      await page.context().close();
    });
  }

  it('is not offered to editors', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, 'ed@example.com', PASSWORD);
    expect(await page.getByRole('link', { name: 'Status' }).count()).toBe(0);
    await page.goto('/status');
    await page.getByText('This page is for workspace admins', { exact: false }).waitFor();
    expectNoConsoleErrors(errors);
    await page.context().close();
  });
});
