/**
 * A dental clinic's admin builds a booking flow from a blank canvas, the way the first tryout did,
 * and meets none of what went wrong then: an empty flow is refused, blocks added by clicking land
 * below the selected one and connected, each question saves to its own variable, a loose Invalid
 * is explained, "next Monday" is a date, and a flow no number runs is not called live.
 */
import type { FlowDocument } from '@parley/schemas';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import {
  block,
  choose,
  expectNoConsoleErrors,
  launchChromium,
  screenshot,
  signIn,
  waitSaved,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let page: Page;
let token: string;
const errors: string[] = [];

beforeAll(async () => {
  // The walk a newcomer takes runs on the embedded database, as a first `npm start` does.
  [parley, browser] = await Promise.all([startParley({}, { embedded: true }), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  // A clinic in London: new flows take the browser's language and time zone.
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    baseURL: parley.url,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

const settings = () => page.getByRole('complementary', { name: /settings/ });

/** The flow's saved draft, as the API returns it. */
async function draft(): Promise<FlowDocument> {
  const flows = await apiCall<{ items: { id: string; name: string }[] }>(parley.url, token, 'GET', '/flows');
  const flow = flows.items.find((item) => item.name === 'Clinic booking');
  if (flow === undefined) throw new Error('no flow named Clinic booking');
  return (
    await apiCall<{ draft: { definition: FlowDocument } }>(parley.url, token, 'GET', `/flows/${flow.id}`)
  ).draft.definition;
}

/** Adds a block by clicking it in the palette, as someone who does not drag would. */
async function clickToAdd(title: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^Add ${title}:`) }).click();
}

describe('a clinic’s booking flow, built from a blank canvas', () => {
  it('refuses to publish a flow with no blocks, and says why', async () => {
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Name').fill('Clinic booking');
    await page.getByRole('radio', { name: /Blank/ }).click();
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByText('This flow is empty').waitFor();

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Publish/ });
    await dialog.getByText('The flow has no blocks yet.', { exact: false }).waitFor();
    expect(await dialog.getByRole('button', { name: /^Publish version/ }).isDisabled()).toBe(true);
    await screenshot(page, 'walk-empty-publish');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('puts each clicked block below the selected one, connected, with its own variable', async () => {
    await clickToAdd('Send message');
    await block(page, 'n1').waitFor();
    await settings().getByRole('textbox', { name: 'Message' }).fill('Welcome to Smile Dental!');

    await clickToAdd('Question');
    await block(page, 'n2').waitFor();
    await settings().getByRole('textbox', { name: 'Question' }).fill('What is your name?');
    // A text question offers no date limits.
    expect(await settings().getByRole('textbox', { name: 'Earliest date' }).count()).toBe(0);
    await clickToAdd('Question');
    await block(page, 'n3').waitFor();
    await settings().getByRole('textbox', { name: 'Question' }).fill('Which day suits you?');
    await choose(settings(), page, 'Answer type', 'Date');
    await settings().getByRole('textbox', { name: 'Earliest date' }).waitFor();
    await clickToAdd('End');
    await block(page, 'n4').waitFor();
    await settings().getByRole('textbox', { name: 'Last message' }).fill('See you then!');
    await waitSaved(page);

    const saved = await draft();
    const connected = (source: string, target: string) =>
      saved.edges.some((edge) => edge.source === source && edge.target === target);
    expect(connected('n1', 'n2') && connected('n2', 'n3') && connected('n3', 'n4')).toBe(true);
    const y = (id: string) => saved.nodes.find((node) => node.id === id)?.position?.y ?? Number.NaN;
    expect(y('n2')).toBeGreaterThan(y('n1'));
    expect(y('n3')).toBeGreaterThan(y('n2'));
    const variables = saved.nodes
      .filter((node) => node.type === 'question')
      .map((node) => (node.config as { variable: string }).variable);
    expect(new Set(variables).size).toBe(2);
    await screenshot(page, 'walk-click-to-add');
  });

  it('says what a loose Invalid does to a patient', async () => {
    await page
      .getByTestId('problems-summary')
      .filter({ hasText: /warning/ })
      .click();
    await page
      .getByRole('region', { name: 'Problems' })
      .getByText('wrong answers the conversation ends with the fallback message', { exact: false })
      .first()
      .waitFor();
  });

  it('takes “next Monday” and a day-first date in the live test', async () => {
    await page.getByRole('button', { name: 'Live test' }).click();
    const live = page.getByRole('complementary', { name: 'Live test' });
    const input = live.getByRole('textbox', { name: 'Your message' });
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('hello');
    await input.press('Enter');
    await live.getByText('What is your name?').waitFor();
    await input.fill('Ana');
    await input.press('Enter');
    await live.getByText('Which day suits you?').waitFor();
    await input.fill('next Monday');
    await input.press('Enter');
    await live.getByText('See you then!').waitFor();
    const answers = live.getByRole('region', { name: 'Answers' });
    const monday = await answers.getByText(/^\d{4}-\d{2}-\d{2}$/).textContent();
    expect(new Date(`${monday}T12:00:00Z`).getUTCDay()).toBe(1);
    await screenshot(page, 'walk-next-monday');

    // As a British patient writes a date: day first.
    await live.getByRole('button', { name: 'Restart' }).click();
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    for (const [reply, next] of [
      ['hello', 'What is your name?'],
      ['Ben', 'Which day suits you?'],
      ['14/07/2027', 'See you then!'],
    ] as const) {
      await input.fill(reply);
      await input.press('Enter');
      await live.getByText(next).last().waitFor();
    }
    await answers.getByText('2027-07-14', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Close live test' }).click();
  });

  it('publishes, and calls the flow live only once a number runs it', async () => {
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 1' });
    await dialog.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Next step: connect a WhatsApp number to run it', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Back to flows' }).click();
    await page
      .getByRole('row', { name: /Clinic booking/ })
      .getByText('Published · v1 · no number')
      .waitFor();
  });

  it('logged no error in the browser console', () => {
    expectNoConsoleErrors(errors);
  });
});
