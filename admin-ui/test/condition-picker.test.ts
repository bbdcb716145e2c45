/**
 * A condition on a choice question, built as an admin does: pick the variable, pick the choice by
 * its label, and the rule stores the choice's value — the emergency route that used to never match.
 */
import type { FlowDocument } from '@parley/schemas';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import {
  block,
  choose,
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

const end = (id: string, y: number, text: string) => ({
  id,
  type: 'end',
  position: { x: 600, y },
  config: { text },
});

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Dental booking',
      definition: {
        schemaVersion: 1,
        name: 'Dental booking',
        settings: { locale: 'en-GB', timeZone: 'Europe/London' },
        triggers: [{ id: 't1', type: 'any_message', target: 'service' }],
        nodes: [
          {
            id: 'service',
            type: 'question',
            position: { x: 0, y: 0 },
            config: {
              prompt: 'Which service?',
              variable: 'service',
              answer: { type: 'string', enum: ['cleaning', 'emergency'] },
              choices: [
                { id: 'c1', label: 'Cleaning & check-up', value: 'cleaning' },
                { id: 'c2', label: 'Emergency / tooth pain', value: 'emergency' },
              ],
            },
          },
          {
            id: 'route',
            type: 'condition',
            position: { x: 300, y: 0 },
            // As the admin wrote it: the label the patient sees, which is not what is stored.
            config: {
              branches: [
                {
                  id: 'urgent',
                  label: 'Urgent',
                  when: { all: [{ var: 'service', op: 'eq', value: 'Emergency / tooth pain' }] },
                },
              ],
            },
          },
          end('help', 0, 'A dentist will call you right away.'),
          end('book', 200, 'Let’s book your visit.'),
        ],
        edges: [
          { id: 'e1', source: 'service', sourceHandle: 'next', target: 'route' },
          { id: 'e2', source: 'service', sourceHandle: 'invalid', target: 'book' },
          { id: 'e3', source: 'route', sourceHandle: 'urgent', target: 'help' },
          { id: 'e4', source: 'route', sourceHandle: 'else', target: 'book' },
        ],
      },
    })
  ).id;
}, 90_000);

/** The saved draft, as the API returns it. */
async function draft(): Promise<FlowDocument> {
  return (
    await apiCall<{ draft: { definition: FlowDocument } }>(parley.url, token, 'GET', `/flows/${flowId}`)
  ).draft.definition;
}

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('a condition on a choice question', () => {
  it('is refused while it names the label, and built right with the pickers', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    // The editor says the rule can never match, and why, before anything is published.
    await page.getByTestId('problems-summary').filter({ hasText: '1 error' }).waitFor();
    const validation = await apiCall<{ errors: { message: string }[] }>(
      parley.url,
      token,
      'POST',
      `/flows/${flowId}/validate`,
    );
    expect(validation.errors[0]?.message).toContain('but the answer is stored as “emergency”');

    await block(page, 'route').click();
    const settings = page.getByRole('complementary', { name: /settings/ });
    await settings.getByText('one of 2 choices · Which service?').waitFor();
    // Only the comparisons that fit a single choice are offered.
    await settings.getByRole('combobox', { name: 'Comparison of rule 1, branch 1' }).click();
    expect(await page.getByRole('option').allTextContents()).toEqual([
      'is',
      'is not',
      'is one of',
      'has a value',
      'is empty',
    ]);
    await page.keyboard.press('Escape');
    await choose(settings, page, 'Value of rule 1, branch 1', 'Emergency / tooth pain');
    await waitSaved(page);
    await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
    await screenshot(page, 'condition-choice-picker');
    expect((await draft()).nodes.find((node) => node.id === 'route')?.config).toMatchObject({
      branches: [{ when: { all: [{ var: 'service', op: 'eq', value: 'emergency' }] } }],
    });
    // A block can be named; the canvas shows the name and the document keeps it.
    await block(page, 'service').click();
    await settings.getByLabel('Name', { exact: true }).fill('Service choice');
    await block(page, 'service').getByText('Service choice').waitFor();
    await waitSaved(page);
    expect((await draft()).nodes.find((node) => node.id === 'service')?.label).toBe('Service choice');

    // "Click to add" puts the new block below the selected one, connected from its free outcome.
    await page.getByRole('button', { name: /^Add Send message:/ }).click();
    await block(page, 'n1').waitFor();
    await waitSaved(page);
    expect((await draft()).edges).toContainEqual(
      expect.objectContaining({ source: 'service', sourceHandle: 'c1', target: 'n1' }),
    );
    await screenshot(page, 'click-to-add-connected');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
