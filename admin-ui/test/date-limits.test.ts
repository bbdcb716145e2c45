/**
 * Earliest and latest dates on a date question, set as an admin does in the question's settings:
 * a limit it cannot read is explained in words, and the form preview refuses a past date with the
 * chat's own message.
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
  waitSaved,
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
      name: 'Clinic booking',
      definition: {
        schemaVersion: 1,
        name: 'Clinic booking',
        settings: { locale: 'en-GB', timeZone: 'Europe/London' },
        triggers: [{ id: 't1', type: 'any_message', target: 'day' }],
        nodes: [
          {
            id: 'day',
            type: 'question',
            position: { x: 0, y: 0 },
            config: {
              prompt: 'Which day suits you?',
              variable: 'day',
              answer: { type: 'string', format: 'date' },
            },
          },
          { id: 'done', type: 'end', position: { x: 0, y: 200 }, config: { text: 'See you then.' } },
        ],
        edges: [
          { id: 'e1', source: 'day', sourceHandle: 'next', target: 'done' },
          { id: 'e2', source: 'day', sourceHandle: 'invalid', target: 'done' },
        ],
      },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

async function dayQuestion(): Promise<unknown> {
  const draft = (
    await apiCall<{ draft: { definition: FlowDocument } }>(parley.url, token, 'GET', `/flows/${flowId}`)
  ).draft.definition;
  return draft.nodes.find((node) => node.id === 'day')?.config;
}

describe('earliest and latest dates of a question', () => {
  it('are set in the question settings and followed by the form preview', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await block(page, 'day').click();
    const settings = page.getByRole('complementary', { name: /settings/ });
    const earliest = settings.getByLabel('Earliest date');

    await earliest.fill('tomorow');
    await settings
      .getByText(
        'Write today, today+7 (a week from today), today-1 (yesterday) or a date such as 2026-07-14.',
      )
      .first()
      .waitFor();
    await screenshot(page, 'question-earliest-date-refused');
    await earliest.fill('today');
    await waitSaved(page);
    await expect.poll(dayQuestion, { timeout: 10_000 }).toMatchObject({ earliest: 'today' });
    await earliest.scrollIntoViewIfNeeded();
    await screenshot(page, 'question-earliest-date');

    await page.getByRole('button', { name: 'Preview form' }).click();
    const preview = page.getByRole('complementary', { name: 'Form preview' });
    await preview.getByRole('textbox', { name: 'Which day suits you?' }).fill('01/01/2020');
    await preview.getByRole('button', { name: 'Check answers' }).click();
    await preview
      .getByText(/^Please choose a date from today on, for example \d{2}\/\d{2}\/\d{4}\.$/)
      .waitFor();
    await preview.getByRole('textbox', { name: 'Which day suits you?' }).fill('tomorrow');
    await preview.getByRole('button', { name: 'Check answers' }).click();
    await preview.getByRole('status').waitFor();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);
});
