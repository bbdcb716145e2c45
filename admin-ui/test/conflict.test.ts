import { leadCapture } from '@parley/schemas';
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
  waitSaved,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let flowId: string;
let token: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Lead capture',
      definition: leadCapture,
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

// The browser itself logs the refused save (HTTP 412); that is the conflict being detected.
const EXPECTED = [/status of 412/];

async function draftText(): Promise<string> {
  const flow = await apiCall<{
    draft: { definition: { nodes: { id: string; config: { text?: string } }[] } };
  }>(parley.url, token, 'GET', `/flows/${flowId}`);
  return flow.draft.definition.nodes.find((node) => node.id === 'n1')?.config.text ?? '';
}

describe('two tabs editing the same flow', () => {
  it('never overwrites silently: the second save asks, and either side can be kept', async () => {
    const a = await openPage(browser, parley.url);
    await signIn(a.page, parley.adminEmail, parley.adminPassword);
    const b = { page: await a.context.newPage(), errors: [] as string[] };
    b.page.on('console', (message) => message.type() === 'error' && b.errors.push(message.text()));
    for (const page of [a.page, b.page]) {
      await page.goto(`/flows/${flowId}`);
      await block(page, 'n1').waitFor();
    }
    const message = (page: typeof a.page) =>
      page.getByRole('complementary', { name: /settings/ }).getByRole('textbox', { name: 'Message' });

    // Tab A saves first.
    await block(a.page, 'n1').click();
    await message(a.page).fill('Hello from tab A');
    await waitSaved(a.page);
    expect(await draftText()).toBe('Hello from tab A');

    // Tab B still holds the old etag: its save is refused and it asks.
    await block(b.page, 'n1').click();
    await message(b.page).fill('Hello from tab B');
    const dialog = b.page.getByRole('dialog', {
      name: 'This flow was changed in another tab or by someone else',
    });
    await dialog.waitFor();
    await screenshot(b.page, 'conflict');
    expect(await draftText()).toBe('Hello from tab A');

    // Reload theirs: tab B now shows tab A's text.
    await dialog.getByRole('button', { name: 'Reload their version' }).click();
    await block(b.page, 'n1').getByText('Hello from tab A').waitFor();

    // Now tab B saves, and tab A is the stale one; it keeps its own version on purpose.
    await block(b.page, 'n1').click();
    await message(b.page).fill('Hello again from tab B');
    await waitSaved(b.page);
    await message(a.page).fill('Tab A insists');
    const dialogA = a.page.getByRole('dialog', {
      name: 'This flow was changed in another tab or by someone else',
    });
    await dialogA.waitFor();
    expect(await draftText()).toBe('Hello again from tab B');
    await dialogA.getByRole('button', { name: 'Keep mine' }).click();
    await waitSaved(a.page);
    expect(await draftText()).toBe('Tab A insists');

    expectNoConsoleErrors(a.errors, EXPECTED);
    expectNoConsoleErrors(b.errors, EXPECTED);
    await a.context.close();
  }, 90_000);
});
