/**
 * A person who lost their password signs in with a one-time password (from an admin, or from
 * `parley admin reset-password`) and is asked for a new one before anything else; the one-time
 * password then stops working.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const PASSWORD = 'a-long-enough-password';
let parley: ParleyServer;
let browser: Browser;
let adminToken: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  adminToken = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

/** A new editor, and a one-time password their admin made for them. */
async function lostPassword(email: string): Promise<string> {
  await apiCall(parley.url, adminToken, 'POST', '/users', { email, password: PASSWORD, role: 'editor' });
  await acceptInvitations(parley.url, email, PASSWORD);
  const members = await apiCall<{ items: { id: string; email: string }[] }>(
    parley.url,
    adminToken,
    'GET',
    '/users',
  );
  const id = members.items.find((member) => member.email === email)?.id as string;
  const reset = await apiCall<{ code: string }>(
    parley.url,
    adminToken,
    'POST',
    `/users/${id}/password-reset`,
  );
  return reset.code;
}

describe('signing in with a one-time password', () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 720 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`asks for a new password first, then goes on (${name})`, async () => {
      const email = `otp-${name}@example.com`;
      const code = await lostPassword(email);
      const { page, errors } = await openPage(browser, parley.url, viewport);
      await page.goto('/');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(code);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Choose your new password' }).waitFor();
      await page.getByText('with a one-time password', { exact: false }).waitFor();
      // Nothing else is reachable until then: the flows list is not there.
      expect(await page.getByRole('heading', { name: 'Flows', exact: true }).count()).toBe(0);

      await page.getByRole('button', { name: 'Set my password' }).click();
      await page.getByText('Choose a new password.').waitFor();
      await page.getByLabel('New password', { exact: true }).fill('my very own password');
      await page.getByLabel('New password again').fill('my very own passwort');
      await page.getByRole('button', { name: 'Set my password' }).click();
      await page.getByText('The two passwords differ.').waitFor();
      await screenshot(page, `one-time-password-${name}`);
      await page.getByLabel('New password again').fill('my very own password');
      await page.getByRole('button', { name: 'Set my password' }).click();
      await page.getByRole('heading', { name: 'Flows', exact: true }).waitFor();

      expect(await apiLogin(parley.url, email, 'my very own password')).toBeTruthy();
      // The one-time password worked once.
      const again = await fetch(`${parley.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: code }),
      });
      expect(again.status).toBe(401);
      expectNoConsoleErrors(errors);
      await page.context().close();
    });
  }
});
