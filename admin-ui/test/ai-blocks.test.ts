/**
 * AI blocks in the editor, against the local provider stand-in: an admin adds a provider, an editor
 * adds an AI reply, an AI extract and an AI route from the palette (each starts with the provider),
 * picks their model from the provider's list, sees the problems clear, publishes, and talks with the
 * AI reply in the live test. At a laptop's 1280×720 and on a phone.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import {
  block,
  choose,
  connect,
  dropNode,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  settled,
  signIn,
  waitSaved,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const EDITOR = { email: 'ed@example.com', password: 'a-long-enough-password' };
const PROVIDER = 'Stand-in · OpenAI-compatible';

let parley: ParleyServer;
let browser: Browser;
let standin: AiStandin;
/** The editor's page: each scenario below builds on the flow the last left. */
let page: Page;
let errors: string[];
let settings: Locator;
let flowUrl: string;

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

function errorBadge(id: string): Locator {
  return block(page, id).locator('[data-testid="problem-badge"][data-severity="error"]');
}

/** A fresh AI block names the stand-in; its model is picked from the stand-in's own list. */
async function pickModel(id: string, model: string): Promise<void> {
  await expect
    .poll(() => settings.getByRole('combobox', { name: 'AI provider', exact: true }).textContent())
    .toBe(PROVIDER);
  await settings.getByText('Pick a model.', { exact: true }).waitFor();
  await errorBadge(id).waitFor();
  await choose(settings, page, 'Model', model);
  await errorBadge(id).waitFor({ state: 'detached' });
  await block(page, id).getByText(model, { exact: false }).waitFor();
}

describe('AI blocks in the editor', () => {
  it('an admin adds a provider against the stand-in', async () => {
    const admin = await openPage(browser, parley.url);
    await admin.page.setViewportSize(LAPTOP);
    await signIn(admin.page, parley.adminEmail, parley.adminPassword);
    await admin.page.goto('/ai-providers');
    await admin.page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = admin.page.getByRole('dialog', { name: 'Add an AI provider' });
    await choose(dialog, admin.page, 'Provider', 'OpenAI-compatible server (Ollama, vLLM, LM Studio)');
    await dialog.getByLabel('Name').fill('Stand-in');
    await dialog.getByLabel('Base URL').fill(standin.baseUrl('openai'));
    await dialog.getByLabel('API key (optional)').fill(standin.apiKey);
    await dialog.getByRole('button', { name: 'Add provider' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await admin.page.getByRole('list', { name: 'AI providers' }).getByText('Stand-in').waitFor();
    expectNoConsoleErrors(admin.errors);
    await admin.context.close();
  }, 60_000);

  it('an editor adds an AI reply: the provider is set, the model is picked from its list', async () => {
    ({ page, errors } = await openPage(browser, parley.url));
    settings = page.getByRole('complementary', { name: /settings/ });
    await page.setViewportSize(LAPTOP);
    await signIn(page, EDITOR.email, EDITOR.password);
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Name').fill('AI front desk');
    await page.getByRole('radio', { name: /Blank/ }).click();
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByText('This flow is empty').waitFor();
    flowUrl = new URL(page.url()).pathname;

    await dropNode(page, 'AI reply', 460, 120);
    await block(page, 'n1').waitFor();
    // Editors see the provider by name, and are told whom to ask for another.
    await settings.getByText('Ask an admin of this workspace to add one on the AI providers page.').waitFor();
    await pickModel('n1', 'gpt-4o-mini');
    await page.getByText('Flow created').waitFor({ state: 'detached', timeout: 15_000 });
    await settings.getByRole('combobox', { name: 'Model', exact: true }).evaluate((element) => {
      // Scrolls the settings panel alone (scrollIntoView would shift the whole page).
      let panel = element.parentElement;
      while (panel !== null && !['auto', 'scroll'].includes(getComputedStyle(panel).overflowY))
        panel = panel.parentElement;
      if (panel === null) return;
      const offset = element.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      panel.scrollTop += offset - panel.clientHeight / 2;
    });
    await screenshot(page, 'ai-block-model');
    await settings
      .getByRole('textbox', { name: 'Instructions' })
      .fill('You are the booking assistant of Smile Dental. Be brief and friendly.');
    await settings.getByRole('textbox', { name: 'Done when' }).fill('The contact has said what they need.');
    await settings.getByRole('button', { name: 'Add variable' }).click();
    await settings.getByRole('textbox', { name: 'Name of variable 1' }).fill('need');
    await settings
      .getByRole('textbox', { name: 'What variable 1 holds' })
      .fill('What the contact needs, in a few words');
    await settings.getByRole('button', { name: 'Add tool' }).click();
    await settings.getByRole('textbox', { name: 'Name of tool 1' }).fill('free_slots');
    await settings
      .getByRole('textbox', { name: 'When the model should use tool 1' })
      .fill('Lists the free visit times of a day.');
    await settings.getByRole('textbox', { name: 'Address of tool 1' }).fill(`${standin.url}/slots`);
    await settings.getByRole('button', { name: 'Add parameter' }).click();
    await settings.getByRole('textbox', { name: 'Name of parameter 1 of tool 1' }).fill('day');
    await settings
      .getByRole('textbox', { name: 'What parameter 1 of tool 1 is' })
      .fill('The day, as YYYY-MM-DD');
    await block(page, 'n1').getByText('1 tool', { exact: false }).waitFor();
    await block(page, 'n1').getByText('saves {{need}}', { exact: false }).waitFor();
    // A tool may not take a built-in tool's name: said in words, on the row.
    await settings.getByRole('textbox', { name: 'Name of tool 1' }).fill('finish');
    await settings.getByText('“finish” is the name of a tool every AI reply has already').waitFor();
    await settings.getByRole('textbox', { name: 'Name of tool 1' }).fill('free_slots');
    await errorBadge('n1').waitFor({ state: 'detached' });
    await screenshot(page, 'ai-reply-settings');
  }, 90_000);

  it('adds an AI extract with a choice field and an AI route with its categories', async () => {
    await dropNode(page, 'AI extract', 460, 380);
    await block(page, 'n2').waitFor();
    await pickModel('n2', 'gpt-4o');
    await settings.getByRole('button', { name: 'Add field' }).click();
    await settings.getByRole('textbox', { name: 'Variable of field 2' }).fill('service');
    await settings
      .getByRole('textbox', { name: 'What field 2 holds' })
      .fill('The service the contact asks for');
    await choose(settings, page, 'Type of field 2', 'One of a list');
    // A choice without options could never be filled: an error until there are some.
    await settings.getByText('is a choice with no options', { exact: false }).waitFor();
    await settings
      .getByRole('textbox', { name: 'Options of field 2, separated by commas' })
      .fill('Cleaning, Check-up');
    await errorBadge('n2').waitFor({ state: 'detached' });
    await block(page, 'n2').getByText('Fills {{name}}, {{service}} from the last answer').waitFor();
    await screenshot(page, 'ai-extract-settings');

    await dropNode(page, 'AI route', 460, 640);
    await block(page, 'n3').waitFor();
    await pickModel('n3', 'gpt-4o-mini');
    await settings.getByRole('button', { name: 'Add category' }).click();
    await settings.getByRole('textbox', { name: 'Name of category 3' }).fill('Complaint');
    await settings
      .getByRole('textbox', { name: 'What category 3 means' })
      .fill('Is unhappy with a visit or a bill');
    // Each category is an outcome of the block.
    await block(page, 'n3').locator('.react-flow__handle.source[data-handleid="c3"]').waitFor();
    await screenshot(page, 'ai-route-settings');
  }, 90_000);

  it('connects every outcome, has no problems left, and publishes', async () => {
    await dropNode(page, 'End', 160, 380);
    await block(page, 'n4').waitFor();
    await settings.getByRole('textbox', { name: 'Last message' }).fill('Thanks, see you soon!');
    await settings.getByRole('button', { name: 'Close settings' }).click();
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await settled(page);
    await connect(page, 'n1', 'done', 'n2');
    await connect(page, 'n1', 'handoff', 'n4');
    await connect(page, 'n1', 'failure', 'n4');
    await connect(page, 'n2', 'next', 'n3');
    await connect(page, 'n2', 'invalid', 'n4');
    for (const handle of ['c1', 'c2', 'c3', 'else']) await connect(page, 'n3', handle, 'n4');
    await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
    await page.getByRole('button', { name: 'Tidy up the layout' }).click();
    await page.getByRole('button', { name: 'Zoom to fit' }).click();
    await waitSaved(page);
    await screenshot(page, 'ai-blocks');

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const publish = page.getByRole('dialog', { name: 'Publish version 1' });
    await publish.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Published: version 1').waitFor();
    expectNoConsoleErrors(errors);
  }, 90_000);

  it('talks with the AI reply in the live test, which shows what the model said and did', async () => {
    standin.requests.length = 0;
    standin.script(
      { reply: { text: 'Hello! I am the Smile Dental assistant. What can I do for you?' } },
      { reply: { toolCalls: [{ name: 'save_variables', arguments: { need: 'a cleaning' } }] } },
      { reply: { toolCalls: [{ name: 'finish', arguments: {} }] } },
      { reply: { json: { name: 'Ana', service: 'Cleaning' } } },
      { reply: { json: { category: 'Booking' } } },
    );
    await page.getByRole('button', { name: 'Live test' }).click();
    const live = page.getByRole('complementary', { name: 'Live test' });
    const input = live.getByRole('textbox', { name: 'Your message' });
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('hello');
    await input.press('Enter');
    await live.getByText('Hello! I am the Smile Dental assistant. What can I do for you?').waitFor();
    await input.fill('I’m Ana, I would like a cleaning');
    await input.press('Enter');
    await live.getByText('Thanks, see you soon!').waitFor();
    // What the AI blocks saved: the AI reply's variable, then the fields the AI extract filled.
    const variables = live.getByRole('region', { name: 'Variables' });
    await variables.getByText('a cleaning', { exact: true }).waitFor();
    await variables.getByText('Ana', { exact: true }).waitFor();
    await variables.getByText('Cleaning', { exact: true }).waitFor();
    // What the model did shows between the messages: the tool it called, with its arguments.
    const toolNote = live.locator('[data-testid="live-note"][data-kind="ai_tool_call"]').first();
    expect(await toolNote.textContent()).toContain('called “save_variables” with {"need":"a cleaning"}');
    // The model was asked with the block's instructions, on the picked model.
    const calls = standin.requests.filter((request) => request.method === 'POST');
    expect(calls.map((request) => request.body.model)).toEqual([
      'gpt-4o-mini',
      'gpt-4o-mini',
      'gpt-4o-mini',
      'gpt-4o',
      'gpt-4o-mini',
    ]);
    expect(JSON.stringify(calls[0]?.body)).toContain('You are the booking assistant of Smile Dental.');
    await page.getByText('Version 1 is published').waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, 'ai-live-test');
    expectNoConsoleErrors(errors);
  }, 90_000);

  it('a block whose provider is not in the workspace is an error until one is picked', async () => {
    // As a flow copied from another workspace arrives: its AI route names a provider this one lacks.
    const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
    const definition = {
      schemaVersion: 1,
      name: 'Copied router',
      triggers: [{ id: 't1', type: 'any_message', target: 'route' }],
      nodes: [
        {
          id: 'route',
          type: 'ai_classify',
          position: { x: 0, y: 0 },
          config: {
            credentialId: '00000000-0000-4000-8000-000000000000',
            model: 'gpt-4o-mini',
            categories: [{ id: 'c1', name: 'Booking', description: 'Wants a visit' }],
          },
        },
        { id: 'bye', type: 'end', position: { x: 0, y: 300 }, config: { text: 'Bye!' } },
      ],
      edges: [
        { id: 'e1', source: 'route', sourceHandle: 'c1', target: 'bye' },
        { id: 'e2', source: 'route', sourceHandle: 'else', target: 'bye' },
      ],
    };
    const flow = await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: definition.name,
      definition,
    });
    const admin = await openPage(browser, parley.url);
    await admin.page.setViewportSize(LAPTOP);
    await signIn(admin.page, parley.adminEmail, parley.adminPassword);
    await admin.page.goto(`/flows/${flow.id}`);
    await admin.page.getByTestId('problems-summary').filter({ hasText: '1 error' }).waitFor();
    await block(admin.page, 'route').click();
    const panel = admin.page.getByRole('complementary', { name: /settings/ });
    await panel
      .getByText('This block’s AI provider is not set up in this workspace', { exact: false })
      .first()
      .waitFor();
    await choose(panel, admin.page, 'AI provider', PROVIDER);
    await admin.page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
    // The same kind of provider: the block keeps its model.
    await block(admin.page, 'route').getByText('gpt-4o-mini', { exact: false }).waitFor();
    // A model the provider does not list (a local server's own) is typed.
    await choose(panel, admin.page, 'Model', 'Another model: type its name');
    await panel.getByRole('textbox', { name: 'Model name' }).fill('llama3.2-vision');
    await block(admin.page, 'route').getByText('llama3.2-vision', { exact: false }).waitFor();
    await admin.page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
    // Admins are led to the page where providers are added.
    await panel.getByRole('link', { name: 'Add one on the AI providers page' }).click();
    await admin.page.getByRole('heading', { name: 'AI providers', exact: true }).waitFor();
    expectNoConsoleErrors(admin.errors);
    await admin.context.close();
  }, 60_000);

  it('works on a phone: an AI block’s settings fit the screen', async () => {
    const phone = await openPage(browser, parley.url);
    await phone.page.setViewportSize(PHONE);
    await signIn(phone.page, EDITOR.email, EDITOR.password);
    await phone.page.goto(flowUrl);
    await block(phone.page, 'n2').click();
    const panel = phone.page.getByRole('complementary', { name: /settings/ });
    await panel.getByRole('combobox', { name: 'Model', exact: true }).waitFor();
    await panel.getByRole('textbox', { name: 'Variable of field 2' }).scrollIntoViewIfNeeded();
    expect(
      await phone.page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) <= window.innerWidth),
    ).toBe(true);
    await screenshot(phone.page, 'phone-ai-extract-settings');
    expectNoConsoleErrors(phone.errors);
    await phone.context.close();
  }, 60_000);
});
