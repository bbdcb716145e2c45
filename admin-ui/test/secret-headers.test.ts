import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { block, expectNoConsoleErrors, launchChromium, openPage, signIn, waitSaved } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let token: string;
let flowId: string;

const KEY = 'Bearer sk_live_ui_5d1e';

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'CRM',
      definition: {
        schemaVersion: 1,
        name: 'CRM',
        triggers: [{ id: 't1', type: 'any_message', target: 'r1' }],
        nodes: [
          {
            id: 'r1',
            type: 'http_request',
            position: { x: 0, y: 0 },
            config: { url: 'https://crm.example.com/leads', method: 'POST', headers: { Authorization: KEY } },
          },
          { id: 'done', type: 'end', position: { x: 0, y: 200 }, config: {} },
        ],
        edges: [
          { id: 'e1', source: 'r1', sourceHandle: 'success', target: 'done' },
          { id: 'e2', source: 'r1', sourceHandle: 'failure', target: 'done' },
        ],
      },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

async function draftErrors(): Promise<unknown[]> {
  return (await apiCall<{ errors: unknown[] }>(parley.url, token, 'POST', `/flows/${flowId}/validate`))
    .errors;
}

describe('a saved header value in the editor', () => {
  it('is shown to nobody, survives other edits, and can be replaced', async () => {
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await block(page, 'r1').click();
    const settings = page.getByRole('complementary', { name: /settings/ });
    await settings.getByText('Saved, hidden').waitFor();
    expect(await page.content()).not.toContain('sk_live');

    // Another change saves the hidden value back as it was.
    await settings.getByRole('textbox', { name: 'URL' }).fill('https://crm.example.com/v2/leads');
    await waitSaved(page);
    expect(await draftErrors()).toEqual([]);

    // Replace: a new value, typed, saved, and hidden again after a reload.
    await settings.getByRole('button', { name: 'Replace the value of header 1' }).click();
    await settings.getByRole('textbox', { name: 'Value of header 1' }).fill('Bearer sk_live_ui_new');
    await waitSaved(page);
    expect(await draftErrors()).toEqual([]);
    await page.reload();
    await block(page, 'r1').click();
    await settings.getByText('Saved, hidden').waitFor();
    expect(await page.content()).not.toContain('sk_live');
    expectNoConsoleErrors(errors);
  }, 60_000);
});
