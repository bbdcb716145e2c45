/**
 * Blocks and choices named as people read them: the problems list names a block by its label and
 * selects it; a new choice is stored as its label; a new question's variable follows its prompt;
 * an export writes choice answers by label.
 */
import type { FlowDocument, QuestionConfig } from '@parley/schemas';
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
let welcomeFlow: string;
let dentalFlow: string;

const create = async (definition: Record<string, unknown>) =>
  (await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', { name: definition.name, definition }))
    .id;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  welcomeFlow = await create({
    schemaVersion: 1,
    name: 'Welcome desk',
    triggers: [{ id: 't1', type: 'any_message', target: 'greet' }],
    nodes: [
      {
        id: 'greet',
        type: 'message',
        label: 'Welcome',
        position: { x: 0, y: 0 },
        // “planx” is set nowhere: a warning about this block.
        config: { text: 'Hi! Your plan is {{planx}}.' },
      },
      { id: 'done', type: 'end', position: { x: 320, y: 0 }, config: { text: 'Bye!' } },
    ],
    edges: [{ id: 'e1', source: 'greet', sourceHandle: 'next', target: 'done' }],
  });
  // A flow made before choices stored their labels: “cleaning” is stored, “Cleaning & check-up” shown.
  dentalFlow = await create({
    schemaVersion: 1,
    name: 'Dental booking',
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
      { id: 'booked', type: 'end', position: { x: 320, y: 0 }, config: { text: 'See you soon.' } },
    ],
    edges: [
      { id: 'e1', source: 'service', sourceHandle: 'next', target: 'booked' },
      { id: 'e2', source: 'service', sourceHandle: 'invalid', target: 'booked' },
    ],
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

async function draft(flowId: string): Promise<FlowDocument> {
  return (
    await apiCall<{ draft: { definition: FlowDocument } }>(parley.url, token, 'GET', `/flows/${flowId}`)
  ).draft.definition;
}

describe('names people read', () => {
  it('names a block by its label in the problems list, and selects it from there', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${welcomeFlow}`);
    await page.getByTestId('problems-summary').filter({ hasText: '1 warning' }).waitFor();
    await page.getByRole('button', { name: '1 warning' }).click();
    const problem = page.getByRole('region', { name: 'Problems' }).getByRole('button', { name: /planx/ });
    expect(await problem.textContent()).toMatch(/^Send message “Welcome”: /);
    expect(await problem.textContent()).not.toMatch(/greet|config|\//);
    await screenshot(page, 'problems-named');
    await problem.click();
    const settings = page.getByRole('complementary', { name: /settings/ });
    expect(await settings.getByLabel('Name', { exact: true }).inputValue()).toBe('Welcome');
    expect(await block(page, 'greet').getAttribute('class')).toContain('selected');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('names a new question’s variable after its prompt, and stores new choices as their labels', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${welcomeFlow}`);
    await block(page, 'done').click();
    await page.getByRole('button', { name: /^Add Question:/ }).click();
    await block(page, 'n1').waitFor();
    const settings = page.getByRole('complementary', { name: /settings/ });
    const prompt = settings.getByRole('textbox', { name: 'Question' });
    const variable = settings.getByRole('textbox', { name: 'Save answer as' });
    // Typed key by key: the name follows every keystroke and no keystroke is lost.
    await prompt.fill('');
    await prompt.pressSequentially('What is your name?');
    await expect.poll(() => variable.inputValue()).toBe('name');
    expect(await prompt.inputValue()).toBe('What is your name?');
    await prompt.fill('Which service would you like?');
    await expect.poll(() => variable.inputValue()).toBe('service');
    // Once the admin writes the name, it stays.
    await variable.fill('treatment');
    await prompt.fill('Which treatment do you need?');
    await waitSaved(page);
    expect(await variable.inputValue()).toBe('treatment');

    await choose(settings, page, 'Answer type', 'Single choice');
    await settings.getByRole('textbox', { name: 'Choice 1 label' }).fill('Cleaning & check-up');
    await settings.getByRole('button', { name: 'Add choice' }).click();
    await settings.getByRole('textbox', { name: 'Choice 3 label' }).waitFor();
    await block(page, 'n1').getByText('Cleaning & check-up', { exact: true }).waitFor();
    await screenshot(page, 'choices-stored-as-labels');
    await waitSaved(page);
    const asked = (await draft(welcomeFlow)).nodes.find((node) => node.id === 'n1')?.config as QuestionConfig;
    expect(asked.variable).toBe('treatment');
    expect(asked.choices?.map(({ label, value }) => [label, value])).toEqual([
      ['Cleaning & check-up', 'Cleaning & check-up'],
      ['Option 2', 'Option 2'],
      ['Option 3', 'Option 3'],
    ]);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('exports choice answers by the label the contact picked', async () => {
    const session = await apiCall<{ id: string }>(parley.url, token, 'POST', '/simulator/sessions', {
      flowId: dentalFlow,
    });
    for (const text of ['hi', '1']) {
      await apiCall(parley.url, token, 'POST', `/simulator/sessions/${session.id}/messages`, { text });
    }
    const { page, context, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/responses?flow=${dentalFlow}`);
    await page.getByRole('checkbox', { name: 'Include test data' }).click();
    await page.getByRole('table', { name: 'Responses' }).getByRole('cell', { name: 'cleaning' }).waitFor();
    const exported = async () => {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'CSV', exact: true }).click(),
      ]);
      const chunks: Buffer[] = [];
      for await (const chunk of await file.createReadStream()) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8').trim().split('\r\n');
    };
    expect((await exported())[1]).toMatch(/,cleaning$/);
    await page.getByRole('checkbox', { name: 'Choices as people saw them' }).click();
    expect((await exported())[1]).toMatch(/,Cleaning & check-up$/);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
