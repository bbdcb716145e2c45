/**
 * An admin adds AI providers against the local provider stand-in: a wrong key is refused in words
 * by the connection test, a replaced key connects, the default model is picked from the
 * provider's list, a provider is removed. An OpenAI-compatible server needs its base URL. At a
 * laptop's 1280×720 and on a phone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import {
  choose,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const EDITOR = { email: 'ed@example.com', password: 'a-long-enough-password' };

let parley: ParleyServer;
let browser: Browser;
let standin: AiStandin;

beforeAll(async () => {
  standin = await startAiStandin();
  // The stand-in listens on loopback: allowed as a deployment with a local model server would.
  [parley, browser] = await Promise.all([startParley({ PARLEY_ALLOW_PRIVATE_HTTP: '1' }), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  await apiCall(parley.url, token, 'POST', '/users', { ...EDITOR, role: 'editor' });
  await acceptInvitations(parley.url, EDITOR.email, EDITOR.password);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await standin?.close();
});

async function openFromMenu(page: Page, phone: boolean) {
  if (phone) {
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'AI providers' }).click();
  } else {
    await page.getByRole('link', { name: 'AI providers' }).click();
  }
  await page.getByRole('heading', { name: 'AI providers', exact: true }).waitFor();
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) <= window.innerWidth)).toBe(
    true,
  );
}

describe('AI providers', () => {
  it('an admin adds a provider, tests it, fixes its key and picks its default model', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await openFromMenu(page, false);
    await page.getByText('No AI providers yet').waitFor();

    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an AI provider' });
    // A key is needed for OpenAI: said before anything is sent.
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.getByText('Paste the key from the provider’s dashboard.').waitFor();
    // An OpenAI-compatible server asks for its address instead.
    await choose(dialog, page, 'Provider', 'OpenAI-compatible server (Ollama, vLLM, LM Studio)');
    await dialog.getByLabel('Name').fill('Shop assistant');
    await dialog.getByLabel('Base URL').fill(standin.baseUrl('openai'));
    await dialog.getByLabel('API key (optional)').fill('sk-typo');
    await screenshot(page, 'ai-providers-add');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page
      .getByRole('list', { name: 'AI providers' })
      .getByRole('listitem')
      .filter({ hasText: 'Shop assistant' });
    await row.getByText('No default model yet').waitFor();
    // The key never comes back to the page.
    expect(await page.content()).not.toContain('sk-typo');

    await row.getByRole('button', { name: 'Test the connection to Shop assistant' }).click();
    await row
      .getByRole('status')
      .getByText('The OpenAI-compatible server refused the API key', { exact: false })
      .waitFor();
    await screenshot(page, 'ai-providers-refused');

    // Replace the key and pick the default model from the server's own list.
    await row.getByRole('button', { name: 'Edit Shop assistant' }).click();
    const edit = page.getByRole('dialog', { name: 'Shop assistant' });
    await edit.getByText('refused the API key', { exact: false }).waitFor();
    await edit.getByLabel('New API key').fill(standin.apiKey);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    // The refusal was about the old key: it goes with it.
    await row.getByRole('status').waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Edit Shop assistant' }).click();
    await edit.getByText('The models this key can use, as the provider lists them.').waitFor();
    await choose(edit, page, 'Default model', 'llama3.2');
    await screenshot(page, 'ai-providers-model');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    await row.getByText('Default model: llama3.2').waitFor();

    standin.script({ reply: { text: 'OK' } });
    await row.getByRole('button', { name: 'Test the connection to Shop assistant' }).click();
    await row
      .getByRole('status')
      .getByText(/^Connected: llama3\.2 answered in [\d.]+ s\. It said: “OK”\.$/)
      .waitFor();
    expect(standin.requests.at(-1)?.body.model).toBe('llama3.2');
    await screenshot(page, 'ai-providers');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);

  it('works on a phone: testing in words, adding and removing', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(PHONE);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await openFromMenu(page, true);
    const list = page.getByRole('list', { name: 'AI providers' });
    const shop = list.getByRole('listitem').filter({ hasText: 'Shop assistant' });
    standin.script({ fail: { status: 429, headers: { 'retry-after': '60' } } });
    await shop.getByRole('button', { name: 'Test the connection to Shop assistant' }).click();
    await shop.getByRole('status').getByText('It asked to wait 60 seconds.', { exact: false }).waitFor();

    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an AI provider' });
    await choose(dialog, page, 'Provider', 'Anthropic (Claude)');
    await dialog.getByLabel('Name').fill('Claude');
    await dialog.getByLabel('API key').fill('sk-ant-not-a-real-key');
    await screenshot(page, 'phone-ai-providers-add');
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const claude = list.getByRole('listitem').filter({ hasText: 'Claude' });
    await claude.getByText('Key saved', { exact: false }).waitFor();
    await noSidewaysScroll(page);
    await screenshot(page, 'phone-ai-providers');

    await claude.getByRole('button', { name: 'Remove Claude' }).click();
    await page.getByRole('button', { name: 'Remove provider' }).click();
    await claude.waitFor({ state: 'detached' });
    await shop.waitFor();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);

  it('is not for editors: no menu entry, and the page says who it is for', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, EDITOR.email, EDITOR.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).waitFor();
    expect(await page.getByRole('link', { name: 'AI providers' }).count()).toBe(0);
    await page.goto('/ai-providers');
    await page.getByText('This page is for workspace admins').waitFor();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
