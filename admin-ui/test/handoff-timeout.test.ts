/**
 * The hand-off timeout, set as an admin does in the flow settings: a message without minutes is
 * refused in words, a fraction too, a whole number is saved; the Hand-off block shows its
 * "No reply in time" outcome to connect.
 */
import type { FlowDocument } from '@parley/schemas';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import {
  block,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let token: string;
let flowId: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Support',
      definition: {
        schemaVersion: 1,
        name: 'Support',
        triggers: [{ id: 't1', type: 'any_message', target: 'human' }],
        nodes: [
          {
            id: 'human',
            type: 'handoff',
            position: { x: 0, y: 0 },
            config: { text: 'A person will answer soon.' },
          },
        ],
        edges: [],
      },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

async function handoffSettings(): Promise<unknown> {
  return (
    await apiCall<{ draft: { definition: FlowDocument } }>(parley.url, token, 'GET', `/flows/${flowId}`)
  ).draft.definition.settings?.handoff;
}

describe('the hand-off timeout in the flow settings', () => {
  it('needs whole minutes for its message, saves them, and the block offers the outcome', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await block(page, 'human').getByText('No reply in time').waitFor();

    await page.getByRole('button', { name: 'Flow settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Flow settings' });
    const minutes = dialog.getByLabel('No reply within (minutes)');
    const message = dialog.getByLabel('Then tell the contact');
    await message.fill('Sorry, we are all busy. We will call you back.');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('How many minutes without a reply? Or clear the message below.').waitFor();
    await minutes.fill('1.5');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('Use a whole number of minutes from 1 to 10080 (one week).').waitFor();
    await minutes.fill('45');
    await minutes.scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-settings-handoff-timeout');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(handoffSettings, { timeout: 10_000 })
      .toEqual({ timeoutMinutes: 45, timeoutText: 'Sorry, we are all busy. We will call you back.' });

    await page.getByRole('button', { name: 'Flow settings' }).click();
    expect(await minutes.inputValue()).toBe('45');
    await page.setViewportSize({ width: 390, height: 844 });
    await minutes.scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-settings-handoff-timeout-phone');
    await minutes.fill('');
    await message.fill('');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(handoffSettings, { timeout: 10_000 }).toBeUndefined();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);
});
