/**
 * The live test says, between the messages, why an HTTP request took Failure; the editor warns
 * about a private address only when this deployment refuses it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

// An IP literal: the runtime refuses it before any packet is sent.
const definition = {
  schemaVersion: 1,
  name: 'Stock check',
  triggers: [{ id: 't1', type: 'keyword', keywords: ['stock'], target: 'check' }],
  nodes: [
    {
      id: 'check',
      type: 'http_request',
      label: 'Check stock',
      position: { x: 0, y: 0 },
      config: { url: 'http://10.0.0.5/stock', saveAs: 'stock' },
    },
    { id: 'yes', type: 'end', position: { x: 320, y: -80 }, config: { text: 'Good news: it is in stock!' } },
    {
      id: 'sorry',
      type: 'end',
      position: { x: 320, y: 120 },
      config: { text: 'Sorry, we cannot check the stock right now.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'check', sourceHandle: 'success', target: 'yes' },
    { id: 'e2', source: 'check', sourceHandle: 'failure', target: 'sorry' },
  ],
};

async function createFlow(server: ParleyServer): Promise<string> {
  const token = await apiLogin(server.url, server.adminEmail, server.adminPassword);
  return (
    await apiCall<{ id: string }>(server.url, token, 'POST', '/flows', { name: definition.name, definition })
  ).id;
}

describe('notes in the live test', () => {
  it('explains a request to a refused address, and the editor warned about it', async () => {
    const flowId = await createFlow(parley);
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);

    // This deployment refuses private addresses, so the editor says so before anything runs.
    await page.getByTestId('problems-summary').filter({ hasText: '1 warning' }).waitFor();
    await page.getByRole('region', { name: 'Problems' }).getByRole('button', { name: '1 warning' }).click();
    await page.getByText('“10.0.0.5” is a private or local address').waitFor();
    await page.getByRole('region', { name: 'Problems' }).getByRole('button', { name: '1 warning' }).click();

    await page.getByRole('button', { name: 'Live test' }).click();
    const live = page.getByRole('complementary', { name: 'Live test' });
    await live.getByRole('button', { name: 'Say “stock”' }).click();
    await live.getByText('Sorry, we cannot check the stock right now.').waitFor();
    const note = live.getByTestId('live-note');
    await note.waitFor();
    expect(await note.textContent()).toContain(
      'HTTP request “Check stock” did not work. The request to 10.0.0.5 was refused: Parley does not call private network addresses. The flow went on by “Failure”.',
    );
    // The note sits where it happened: before the message the Failure path sent.
    const lines = await live.getByRole('list', { name: 'Messages' }).locator(':scope > li').allTextContents();
    expect(lines.findIndex((line) => line.includes('did not work'))).toBeLessThan(
      lines.findIndex((line) => line.includes('Sorry, we cannot check')),
    );
    await screenshot(page, 'live-test-http-failure');
    // From the note to the block it is about, to fix it.
    await note.getByRole('button', { name: 'Show the block' }).click();
    await page.getByRole('complementary', { name: 'HTTP request settings' }).waitFor();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('does not warn about a private address where the deployment allows them', async () => {
    const open = await startParley({ PARLEY_ALLOW_PRIVATE_HTTP: '1' });
    try {
      const flowId = await createFlow(open);
      const { page, context, errors } = await openPage(browser, open.url);
      await page.setViewportSize({ width: 1280, height: 720 });
      await signIn(page, open.adminEmail, open.adminPassword);
      await page.goto(`/flows/${flowId}`);
      await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
      expectNoConsoleErrors(errors);
      await context.close();
    } finally {
      await open.stop();
    }
  }, 90_000);
});
