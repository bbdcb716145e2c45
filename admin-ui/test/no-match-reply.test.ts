/**
 * The reply to a message that starts nothing, turned on as an admin does in the flow settings:
 * off by default, with the warning that it answers everyone, a text it cannot be saved without,
 * and off again with one click.
 */
import type { FlowDocument } from '@parley/schemas';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
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
      name: 'Opening hours',
      definition: {
        schemaVersion: 1,
        name: 'Opening hours',
        settings: { locale: 'en-GB', timeZone: 'Europe/London' },
        triggers: [{ id: 't1', type: 'keyword', keywords: ['menu'], target: 'done' }],
        nodes: [{ id: 'done', type: 'end', position: { x: 0, y: 0 }, config: { text: 'We open at 9.' } }],
        edges: [],
      },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

async function replies(): Promise<unknown> {
  return (
    await apiCall<{ draft: { definition: FlowDocument } }>(parley.url, token, 'GET', `/flows/${flowId}`)
  ).draft.definition.settings?.replies;
}

describe('the no-match reply in the flow settings', () => {
  it('is off by default, warns who it answers, and needs a text when on', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await page.getByRole('button', { name: 'Flow settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Flow settings' });
    const toggle = dialog.getByRole('checkbox', { name: 'Answer messages that start nothing' });
    const reply = dialog.getByLabel('Reply to a message that starts nothing');
    expect(await toggle.isChecked()).toBe(false);
    expect(await reply.count()).toBe(0);
    await dialog.getByText('This answers everyone who writes to this number', { exact: false }).waitFor();

    await toggle.click();
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('Write the reply, or turn it off.').waitFor();
    await reply.fill('Hi! Write MENU to see what I can do.');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(replies, { timeout: 10_000 })
      .toEqual({ noMatch: 'Hi! Write MENU to see what I can do.' });

    await page.getByRole('button', { name: 'Flow settings' }).click();
    expect(await toggle.isChecked()).toBe(true);
    expect(await reply.inputValue()).toBe('Hi! Write MENU to see what I can do.');
    await reply.scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-settings-no-match-reply');
    await page.setViewportSize({ width: 390, height: 844 });
    await reply.scrollIntoViewIfNeeded();
    await screenshot(page, 'flow-settings-no-match-reply-phone');
    await page.setViewportSize({ width: 1280, height: 720 });

    await toggle.click();
    expect(await reply.count()).toBe(0);
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(replies, { timeout: 10_000 }).toBeUndefined();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);
});
