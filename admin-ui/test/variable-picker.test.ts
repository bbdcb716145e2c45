/**
 * Variables picked, not typed: `{{` in a message lists the flow's variables, “Insert variable” does
 * the same for people who do not know the braces, Set variable offers the names in use, and “is one
 * of” on a choice question is a set of ticks by label that stores the choices' values.
 */
import type { FlowDocument } from '@parley/schemas';
import type { Browser, Locator, Page } from 'playwright-core';
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
              answer: { type: 'string', enum: ['cleaning', 'emergency', 'whitening'] },
              choices: [
                { id: 'c1', label: 'Cleaning & check-up', value: 'cleaning' },
                { id: 'c2', label: 'Emergency / tooth pain', value: 'emergency' },
                { id: 'c3', label: 'Whitening', value: 'whitening' },
              ],
            },
          },
          {
            id: 'tag',
            type: 'set_variable',
            position: { x: 0, y: 200 },
            config: { variable: 'segment', value: 'new patient' },
          },
        ],
        edges: [{ id: 'e1', source: 'service', sourceHandle: 'next', target: 'tag' }],
      },
    })
  ).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

/** One block's settings in the saved draft, as the API returns it. */
async function savedConfig(nodeId: string): Promise<Record<string, unknown> | undefined> {
  const { draft } = await apiCall<{ draft: { definition: FlowDocument } }>(
    parley.url,
    token,
    'GET',
    `/flows/${flowId}`,
  );
  return draft.definition.nodes.find((node) => node.id === nodeId)?.config as Record<string, unknown>;
}

/** Adds a block below the selected one (click to add) and waits until it is on the canvas. */
async function addBlock(page: Page, title: string, id: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^Add ${title}:`) }).click();
  await block(page, id).waitFor();
  await block(page, id).click();
}

describe('picking variables in the settings', () => {
  it('inserts, names and compares variables without typing them', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    const settings: Locator = page.getByRole('complementary', { name: /settings/ });

    // `{{` in a message opens the list; the keyboard narrows it, moves in it and picks.
    await block(page, 'tag').click();
    await addBlock(page, 'Send message', 'n1');
    const message = settings.getByRole('textbox', { name: 'Message' });
    await message.fill('');
    await message.pressSequentially('You picked {{se');
    const list = settings.getByRole('listbox', { name: 'Variables' });
    expect(await list.getByRole('option').allTextContents()).toEqual([
      'serviceone of 3 choices · Which service?',
      'segmentvalue · Set variable',
    ]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => activeOption(message)).toContain('segment');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => activeOption(message)).toContain('service');
    await screenshot(page, 'variable-picker');
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'detached' });
    await page.keyboard.type('.');
    expect(await message.inputValue()).toBe('You picked {{service}}.');
    // Escape closes the list and leaves the text as typed.
    await page.keyboard.type(' {{');
    await list.waitFor();
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect
      .poll(() => savedConfig('n1'), { timeout: 10_000 })
      .toEqual({ text: 'You picked {{service}}.' });

    // “Insert variable” beside the URL: a search box, then the variable at the caret.
    await addBlock(page, 'HTTP request', 'n2');
    const url = settings.getByRole('textbox', { name: 'URL' });
    await url.fill('https://crm.example.com/leads?service=');
    await settings.getByRole('button', { name: 'Insert a variable in URL' }).click();
    const search = settings.getByRole('combobox', { name: 'Search variables' });
    await search.fill('tooth');
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual([]);
    await search.fill('which');
    await list.getByRole('option', { name: /^service/ }).click();
    await expect.poll(() => url.inputValue()).toBe('https://crm.example.com/leads?service={{service}}');
    // A header value is a template too: the icon beside it opens the same list.
    await settings.getByRole('button', { name: 'Add header' }).click();
    await settings.getByRole('textbox', { name: 'Name of header 1' }).fill('X-Segment');
    await settings.getByRole('button', { name: 'Insert a variable in the value of header 1' }).click();
    await search.fill('seg');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => settings.getByRole('textbox', { name: 'Value of header 1' }).inputValue())
      .toBe('{{segment}}');

    // A new name typed in “Save response as” stays as typed, though it starts like “segment”.
    const saveAs = settings.getByRole('combobox', { name: 'Save response as' });
    await saveAs.fill('seg');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => savedConfig('n2'), { timeout: 10_000 })
      .toMatchObject({
        url: 'https://crm.example.com/leads?service={{service}}',
        // Saved header values are secrets: the API shows that one is saved, never what it is.
        headers: { 'X-Segment': { secret: true } },
        saveAs: 'seg',
      });

    // Set variable: a name that cannot be used says why in plain words; an existing one is picked.
    await addBlock(page, 'Set variable', 'n3');
    const name = settings.getByRole('combobox', { name: 'Variable' });
    await name.fill('first name');
    await settings
      .getByText(
        'Use letters, digits and _ only (no spaces), starting with a letter or _. For example “first_name”.',
      )
      .waitFor();
    await name.fill('');
    const names = settings.getByRole('listbox', { name: 'Names in this flow' });
    expect(await names.getByRole('option').allTextContents()).toEqual([
      'serviceone of 3 choices · Which service?',
      'segmentvalue · Set variable',
      'segvalue · HTTP request',
    ]);
    await names.getByRole('option', { name: /^segment/ }).click();
    await expect.poll(() => name.inputValue()).toBe('segment');
    await settings.getByRole('textbox', { name: 'Value' }).fill('returning');
    await expect
      .poll(() => savedConfig('n3'), { timeout: 10_000 })
      .toEqual({ variable: 'segment', value: 'returning' });

    // “Is one of” on the choice question: its choices, ticked by label, stored by value.
    await addBlock(page, 'Condition', 'n4');
    await settings.getByRole('combobox', { name: 'Variable of rule 1, branch 1' }).fill('service');
    await choose(settings, page, 'Comparison of rule 1, branch 1', 'is one of');
    const values = settings.getByRole('group', { name: 'Values of rule 1, branch 1' });
    await values.getByRole('checkbox', { name: 'Whitening' }).click();
    await values.getByRole('checkbox', { name: 'Cleaning & check-up' }).click();
    await waitSaved(page);
    await screenshot(page, 'variable-picker-is-one-of');
    expect(await savedConfig('n4')).toMatchObject({
      branches: [{ when: { all: [{ var: 'service', op: 'in', value: ['cleaning', 'whitening'] }] } }],
    });
    // On a variable without choices: a list of values, added and removed, never typed as a list.
    await settings.getByRole('combobox', { name: 'Variable of rule 1, branch 1' }).fill('segment');
    await settings.getByRole('button', { name: 'Remove value 2 of rule 1, branch 1' }).click();
    await settings.getByRole('button', { name: 'Add value' }).click();
    await settings.getByRole('textbox', { name: 'Value 2 of rule 1, branch 1' }).fill('vip');
    await expect
      .poll(() => savedConfig('n4'), { timeout: 10_000 })
      .toMatchObject({
        branches: [{ when: { all: [{ var: 'segment', op: 'in', value: ['cleaning', 'vip'] }] } }],
      });
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);
});

/** The text of the option the field points at with aria-activedescendant. */
async function activeOption(field: Locator): Promise<string | null> {
  const id = await field.getAttribute('aria-activedescendant');
  if (id === null) return null;
  return field.page().evaluate((optionId) => document.getElementById(optionId)?.textContent ?? null, id);
}
