/**
 * Conversation tests in the editor: a live-test chat saved as a test, run on the draft, the publish
 * gate refusing a draft that breaks it (with what differed), and the results on a phone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;
let token: string;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

function greeting(goodbye: string) {
  return {
    schemaVersion: 1,
    name: 'Greeting',
    triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'ask' }],
    nodes: [
      {
        id: 'ask',
        type: 'question',
        position: { x: 0, y: 0 },
        config: { prompt: 'What is your name?', variable: 'name', answer: { type: 'string' } },
      },
      { id: 'bye', type: 'end', position: { x: 0, y: 160 }, config: { text: goodbye } },
    ],
    edges: [{ id: 'e1', source: 'ask', sourceHandle: 'next', target: 'bye' }],
  };
}

describe('conversation tests in the editor', () => {
  it('saves a live-test chat as a test, runs it, and a gated publish of a breaking draft is refused', async () => {
    const flow = await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Greeting',
      definition: greeting('Thanks, {{name}}!'),
    });
    const { page, context, errors } = await openPage(browser, parley.url, { width: 1280, height: 720 });
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flow.id}`);

    // Chat through the draft, then keep the chat as a test.
    await page.getByRole('button', { name: 'Live test' }).click();
    const live = page.getByRole('complementary', { name: 'Live test' });
    await live.getByRole('button', { name: 'Say “hi”' }).click();
    await live.getByText('What is your name?').waitFor();
    await live.getByLabel('Your message').fill('Ann');
    await live.getByRole('button', { name: 'Send', exact: true }).click();
    await live.getByText('Thanks, Ann!').waitFor();
    await live.getByRole('button', { name: 'Save this conversation as a test' }).click();
    await live.getByLabel('Test name').fill('Ann is thanked by name');
    await screenshot(page, 'conversation-test-save');
    await live.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved as a test').waitFor();
    await live.getByRole('button', { name: 'Close live test' }).click();

    // Run it on the draft, and make publishing wait for it.
    await page.getByRole('button', { name: 'Tests', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Conversation tests' });
    await dialog.getByRole('list', { name: 'Tests' }).getByText('Ann is thanked by name').waitFor();
    await dialog.getByRole('button', { name: 'Run the tests on the draft' }).click();
    await dialog.getByText('The test passed.').waitFor();
    // Saved, then shown from what the server holds.
    const gate = dialog.getByLabel('Tests must pass before publishing', { exact: false });
    await gate.click();
    await expect.poll(() => gate.isChecked()).toBe(true);
    await screenshot(page, 'conversation-tests');
    await page.keyboard.press('Escape');

    // Someone changes the goodbye: the tests run before the publish and refuse it, saying what differed.
    const current = await apiCall<{ draft: { etag: string } }>(parley.url, token, 'GET', `/flows/${flow.id}`);
    const changed = await fetch(`${parley.url}/api/v1/flows/${flow.id}/draft`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'if-match': `"${current.draft.etag}"`,
      },
      body: JSON.stringify({ definition: greeting('Bye.') }),
    });
    expect(changed.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Publish' }).click();
    const publish = page.getByRole('dialog', { name: 'Publish version 1' });
    await publish.getByRole('button', { name: 'Publish version 1' }).click();
    await publish
      .getByText('1 of 1 conversation test failed; nothing was published.', { exact: false })
      .waitFor();
    const diff = await publish.getByTestId('test-result').textContent();
    expect(diff).toContain('turn 2 (user: "Ann"):');
    expect(diff).toContain('- expected: "Thanks, Ann!"');
    expect(diff).toContain('+ actual:   "Bye."');
    await screenshot(page, 'conversation-tests-publish-refused');
    expect(
      (await apiCall<{ publishedVersion: number | null }>(parley.url, token, 'GET', `/flows/${flow.id}`))
        .publishedVersion,
    ).toBe(null);
    expectNoConsoleErrors(errors, [/409/]);
    await context.close();

    // On a phone: the tests and their latest runs, to read.
    const phone = await openPage(browser, parley.url, { width: 390, height: 844 });
    await signIn(phone.page, parley.adminEmail, parley.adminPassword);
    await phone.page.goto(`/flows/${flow.id}`);
    await phone.page.getByRole('button', { name: 'Tests', exact: true }).click();
    const read = phone.page.getByRole('dialog', { name: 'Conversation tests' });
    await read.getByRole('list', { name: 'Tests' }).getByText('Ann is thanked by name').waitFor();
    await read
      .getByRole('list', { name: 'Latest runs' })
      .getByText('Failed', { exact: true })
      .first()
      .waitFor();
    expect(await read.getByTestId('tests-settings-summary').textContent()).toBe(
      'Publishing waits for these tests to pass. They run only when someone runs them.',
    );
    await screenshot(phone.page, 'conversation-tests-phone');
    expectNoConsoleErrors(phone.errors);
    await phone.context.close();
  }, 120_000);
});
