import { leadCapture } from '@parley/schemas';
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
      name: 'Front desk intake',
      definition: leadCapture,
    })
  ).id;
  await apiCall(parley.url, token, 'POST', `/flows/${flowId}/publish`);
  for (const [phone, label] of [
    ['+34612345678', 'Front desk'],
    ['+14155550123', null],
  ] as const) {
    const number = await apiCall<{ id: string }>(parley.url, token, 'POST', '/numbers', {
      phone,
      ...(label === null ? {} : { label }),
    });
    await apiCall(parley.url, token, 'PUT', `/numbers/${number.id}/flow`, { flowId });
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('data that must not disappear', () => {
  it('says exactly what a masked export hides', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/responses?flow=${flowId}`);
    await page
      .getByText('Exports include contacts’ phone numbers, names and every answer as given.')
      .waitFor();
    await page.getByRole('checkbox', { name: 'Mask personal data' }).click();
    const note = page.getByTestId('masking-note');
    await note.waitFor();
    expect(await note.innerText()).toBe(
      'Masked in exports: contact phone numbers (+1555•••0101), contact names (A•••), and the answers Email (a•••@•••.com). Other answers are exported as given.',
    );
    await screenshot(page, 'export-masking');
    expectNoConsoleErrors(errors);
    await context.close();
  });

  it('names the numbers a deleted flow silences, then restores it from Deleted flows', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto('/flows');
    await page.getByRole('button', { name: 'Actions for Front desk intake' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete “Front desk intake”?' });
    await dialog.getByText('you can restore it from Deleted flows').waitFor();
    await dialog.getByRole('button', { name: 'Delete flow' }).click();

    // The API refused: the dialog now names the numbers and asks again.
    const confirm = dialog.getByRole('button', { name: 'Delete and silence 2 numbers' });
    await confirm.waitFor();
    expect(await dialog.getByRole('listitem').allInnerTexts()).toEqual([
      '+1 415 555 0123',
      '+34 612 34 56 78 (Front desk)',
    ]);
    await screenshot(page, 'delete-flow-confirm');
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Front desk intake' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Deleted flows' }).click();
    await page.getByRole('cell', { name: 'Front desk intake' }).waitFor();
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByText('No deleted flows').waitFor();
    await page.getByRole('button', { name: 'Back to flows' }).click();
    await page.getByRole('link', { name: 'Front desk intake' }).waitFor();
    // The browser logs the refused first delete (HTTP 409): that is the confirmation being asked.
    expectNoConsoleErrors(errors, [/status of 409/]);
    await context.close();
  });
});
