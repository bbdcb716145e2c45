/**
 * The form preview reads answers exactly as the chat does: the same parsers (dates as people write
 * them, phones with spaces, digit groups), the same refusal messages, no empty form called valid,
 * and no stale "valid" box under a new error.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import {
  choose,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let flowId: string;
let token: string;

const question = (id: string, y: number, prompt: string, variable: string, answer: object, extra = {}) => ({
  id,
  type: 'question',
  position: { x: 0, y },
  config: { prompt, variable, answer, ...extra },
});

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Clinic booking',
      definition: {
        schemaVersion: 1,
        name: 'Clinic booking',
        settings: { locale: 'en-GB', timeZone: 'Europe/London' },
        triggers: [{ id: 't1', type: 'any_message', target: 'phone' }],
        nodes: [
          question('phone', 0, 'Your phone number?', 'phone', { type: 'string', format: 'phone' }),
          question('day', 150, 'Which day suits you?', 'day', { type: 'string', format: 'date' }),
          question('people', 300, 'How many people?', 'people', { type: 'integer' }),
          question('note', 450, 'Anything else?', 'note', { type: 'string' }, { skippable: true }),
          { id: 'done', type: 'end', position: { x: 0, y: 600 }, config: { text: 'Thanks.' } },
        ],
        edges: [
          { id: 'e1', source: 'phone', sourceHandle: 'next', target: 'day' },
          { id: 'e2', source: 'day', sourceHandle: 'next', target: 'people' },
          { id: 'e3', source: 'people', sourceHandle: 'next', target: 'note' },
          { id: 'e4', source: 'note', sourceHandle: 'next', target: 'done' },
        ],
      },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('the form preview', () => {
  it('accepts what the chat accepts and says what the chat says', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await page.getByRole('button', { name: 'Preview form' }).click();
    const preview = page.getByRole('complementary', { name: 'Form preview' });
    const field = (name: string) => preview.getByRole('textbox', { name });
    const check = () => preview.getByRole('button', { name: 'Check answers' }).click();
    const valid = preview.getByRole('status');

    // An empty form is not a valid set of answers: the chat waits for each question.
    await check();
    expect(await preview.getByText('This question needs an answer.').count()).toBe(3);
    expect(await valid.count()).toBe(0);

    await field('Your phone number?').fill('+49 1512 3456789');
    await field('Which day suits you?').fill('next Monday');
    await field('How many people?').fill('1,000');
    await check();
    await valid.waitFor();
    const saved = JSON.parse((await valid.locator('pre').textContent()) ?? '{}');
    expect(saved.phone).toBe('+4915123456789');
    expect(saved.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${saved.day}T12:00:00Z`).getUTCDay()).toBe(1);
    expect(saved.people).toBe(1000);
    expect(saved).not.toHaveProperty('note');

    // Editing makes the old result stale; a refused answer gets the chat's own retry message.
    await field('Which day suits you?').fill('some day soon');
    expect(await valid.count()).toBe(0);
    await check();
    await preview
      .getByText("Sorry, I didn't understand that. Please write a date, for example 14/07/2025.")
      .waitFor();
    expect(await valid.count()).toBe(0);
    await screenshot(page, 'form-preview-refused-date');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});

describe('how a flow reads answers', () => {
  it('is set for a new flow from the browser, and changed in flow settings with plain-words errors', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('button', { name: 'New flow' }).first().click();
    await page.getByLabel('Name').fill('Dental bookings');
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.waitForURL(/\/flows\/[^/]+$/);
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';
    const draft = async () =>
      (
        await apiCall<{ draft: { definition: { settings?: Record<string, unknown> } } }>(
          parley.url,
          token,
          'GET',
          `/flows/${id}`,
        )
      ).draft.definition.settings;
    // Headless Chromium reports en-US and UTC.
    expect(await draft()).toMatchObject({ locale: 'en-US', timeZone: 'UTC' });

    await page.getByRole('button', { name: 'Flow settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Flow settings' });
    await choose(dialog, page, 'Language and region', 'German (Germany) · de-DE');
    await dialog.getByLabel('Time zone').fill('Europe/Berlinn');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('“Europe/Berlinn” is not a time zone Parley knows.', { exact: false }).waitFor();
    await screenshot(page, 'flow-settings-time-zone-error');
    await dialog.getByLabel('Time zone').fill('Europe/Berlin');
    // A stop word without its reply is refused in words, then saved once the reply is there.
    await dialog.getByLabel('Stop words').fill('STOP, cancel');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.getByText('Write the reply to these words.').waitFor();
    await dialog.getByLabel('Reply to a stop word').fill('Okay, no more messages. Write hi to start again.');
    await dialog.getByRole('button', { name: 'Save settings' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(draft, { timeout: 10_000 }).toMatchObject({
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      replies: {
        stop: { words: ['STOP', 'cancel'], text: 'Okay, no more messages. Write hi to start again.' },
      },
    });
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
