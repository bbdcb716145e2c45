import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  block,
  choose,
  connect,
  dropNode,
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
/** One page walks through every scenario below, in order: each builds on the flow the last left. */
let page: Page;
let errors: string[];
let settings: Locator;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  ({ page, errors } = await openPage(browser, parley.url));
  settings = page.getByRole('complementary', { name: /settings/ });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe('building a flow in the editor, as an admin does', () => {
  it('signs in and creates a blank flow', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');
    await signIn(page, parley.adminEmail, parley.adminPassword);
    // A new workspace starts with a sample draft to look at.
    await page.getByRole('link', { name: 'Sample: appointment request' }).waitFor();

    // A new, blank flow.
    await page.getByRole('button', { name: 'New flow' }).click();
    await page.getByLabel('Name').fill('Plan signup');
    await screenshot(page, 'new-flow');
    await page.getByRole('radio', { name: /Blank/ }).click();
    await page.getByRole('button', { name: 'Create flow' }).click();
    await page.getByText('This flow is empty').waitFor();
  });

  it('drops a message from the palette; the first block gets a Start', async () => {
    // 1. A message: dropped from the palette; the first block gets a Start.
    await dropNode(page, 'Send message', 460, 150);
    await block(page, 'n1').waitFor();
    await page.locator('[data-testid="trigger-t1"]').waitFor();
    const message = settings.getByRole('textbox', { name: 'Message' });
    await message.fill('Welcome! Let’s get you set up.');
    await block(page, 'n1').getByText('Welcome! Let’s get you set up.').waitFor();
  });

  it('adds an email question with a retry after the message', async () => {
    // 2. An email question with a retry.
    await dropNode(page, 'Question', 460, 340);
    await block(page, 'n2').waitFor();
    await settings.getByRole('textbox', { name: 'Question' }).fill('What’s your email?');
    await settings.getByRole('textbox', { name: 'Save answer as' }).fill('email');
    await choose(settings, page, 'Answer type', 'Email');
    await settings.getByRole('spinbutton', { name: 'Attempts before giving up' }).fill('3');
    await settings
      .getByRole('textbox', { name: 'Retry message' })
      .fill('That doesn’t look like an email. Try again?');
    await block(page, 'n2').getByText('Email → {{email}}').waitFor();
    await connect(page, 'n1', 'next', 'n2');
    await page.locator('.react-flow__edge').nth(1).waitFor();
  });

  it('adds a plan choice; a problem shows inline, on the block and in the list', async () => {
    // 3. A plan question with two choices, each its own outcome.
    await dropNode(page, 'Question', 170, 470);
    await block(page, 'n3').waitFor();
    // Not connected yet: a warning appears on the block and in the list.
    await block(page, 'n3').locator('[data-testid="problem-badge"][data-severity="warning"]').waitFor();
    await settings.getByRole('textbox', { name: 'Question' }).fill('Which plan would you like?');
    await choose(settings, page, 'Answer type', 'Single choice');
    await settings.getByRole('textbox', { name: 'Choice 1 label' }).fill('Basic');
    await settings.getByRole('textbox', { name: 'Choice 2 label' }).fill('Pro');
    await block(page, 'n3').getByText('Pro', { exact: true }).waitFor();

    // A validation problem: a variable name with a space. Inline, on the block, in the list.
    const variable = settings.getByRole('textbox', { name: 'Save answer as' });
    await variable.fill('my plan');
    await settings.getByText('Use letters, digits and _ only').waitFor();
    await block(page, 'n3').locator('[data-testid="problem-badge"][data-severity="error"]').waitFor();
    await page.getByTestId('problems-summary').filter({ hasText: '1 error' }).waitFor();
    await screenshot(page, 'editor-problem');
    await variable.fill('plan');
    await block(page, 'n3')
      .locator('[data-testid="problem-badge"][data-severity="error"]')
      .waitFor({ state: 'detached' });
    await connect(page, 'n2', 'next', 'n3');
  });

  it('ends the flow from both choices, with no problem left', async () => {
    // 4. The end, reached from both choices.
    await dropNode(page, 'End', 480, 560);
    await block(page, 'n4').waitFor();
    await settings
      .getByRole('textbox', { name: 'Last message' })
      .fill('Thanks! We’ll email {{email}} about the {{plan}} plan.');
    await connect(page, 'n3', 'c1', 'n4');
    await connect(page, 'n3', 'c2', 'n4');
    // Both questions can run out of attempts: the editor says what happens then, until it is decided.
    // (To the end would print an empty email there, which the editor also flags; start over instead.)
    await page.getByTestId('problems-summary').filter({ hasText: '2 warnings' }).waitFor();
    await connect(page, 'n2', 'invalid', 'n1');
    await connect(page, 'n3', 'invalid', 'n1');
    await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
    expect(await page.locator('.react-flow__edge').count()).toBe(7);
  });

  it('selects the block a problem is about from the problems list; undo reverts the edit', async () => {
    // The problems list selects the block it is about.
    await settings.getByRole('button', { name: 'Close settings' }).click();
    await block(page, 'n4').click();
    await settings.getByRole('textbox', { name: 'Last message' }).fill('Thanks {{planx}}!');
    await page.getByTestId('problems-summary').filter({ hasText: '1 warning' }).waitFor();
    await settings.getByRole('button', { name: 'Close settings' }).click();
    await page.getByRole('button', { name: '1 warning' }).click();
    await page.getByRole('region', { name: 'Problems' }).getByRole('button', { name: /planx/ }).click();
    await settings.getByRole('textbox', { name: 'Last message' }).waitFor();
    await page.keyboard.press('Control+z');
    expect(await settings.getByRole('textbox', { name: 'Last message' }).inputValue()).toContain('Thanks!');
    await page.getByTestId('problems-summary').filter({ hasText: 'No problems' }).waitFor();
  });

  it('undoes and redoes a block; copies, pastes and deletes with the keyboard', async () => {
    // Undo and redo a new block; copy, paste and delete with the keyboard.
    await page.locator('.react-flow__pane').click({ position: { x: 600, y: 80 } });
    await dropNode(page, 'Wait', 620, 420);
    await block(page, 'n5').waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 640, y: 80 } });
    await page.keyboard.press('Control+z');
    await block(page, 'n5').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+Shift+z');
    await block(page, 'n5').waitFor();
    await block(page, 'n5').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await block(page, 'n6').waitFor();
    await page.keyboard.press('Delete');
    await block(page, 'n6').waitFor({ state: 'detached' });
    await block(page, 'n5').click();
    await page.keyboard.press('Delete');
    await block(page, 'n5').waitFor({ state: 'detached' });
    await waitSaved(page);
  });

  it('keeps the saved draft across a reload, and tidies it up', async () => {
    // The draft was saved: it is all there after a reload.
    await page.reload();
    await block(page, 'n4').waitFor();
    expect(await page.locator('.react-flow__node').count()).toBe(5);
    await page.getByRole('button', { name: 'Tidy up the layout' }).click();
    await waitSaved(page);
    await screenshot(page, 'editor');
    await block(page, 'n3').click();
    await screenshot(page, 'editor-settings');
    await block(page, 'n2').click();
  });

  it('previews the questions as a form that follows the flow', async () => {
    // The form preview: the questions as a form, computed locally, updating as the flow changes.
    await page.getByRole('button', { name: 'Preview form' }).click();
    const preview = page.getByRole('complementary', { name: 'Form preview' });
    await preview.getByRole('textbox', { name: 'What’s your email?' }).waitFor();
    await preview.getByRole('radio', { name: 'Pro' }).waitFor();
    await settings.getByRole('textbox', { name: 'Question' }).fill('Your email address?');
    await preview.getByRole('textbox', { name: 'Your email address?' }).waitFor();
    await preview.getByRole('textbox', { name: 'Your email address?' }).fill('not-an-email');
    await preview.getByRole('button', { name: 'Check answers' }).click();
    // The preview refuses what the chat refuses, with the question's own retry message.
    await preview.getByText('That doesn’t look like an email. Try again?').waitFor();
    await screenshot(page, 'form-preview');
    await page.getByRole('button', { name: 'Preview form' }).click();
  });

  it('publishes version 1, then shows a change as a readable difference', async () => {
    // Publish: the first version, then a change shows up as a readable difference.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const publish = page.getByRole('dialog', { name: 'Publish version 1' });
    await publish.getByText('This is the first version of this flow').waitFor();
    await publish.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Version 1 is published').waitFor();
    await page.getByText('Next step: connect a WhatsApp number to run it', { exact: false }).waitFor();
    await page.getByText('Published: version 1').waitFor();

    await block(page, 'n1').click();
    await settings.getByRole('textbox', { name: 'Message' }).fill('Hi there! Let’s get you set up.');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const second = page.getByRole('dialog', { name: 'Publish version 2' });
    await second.getByText('Changes since version 1').waitFor();
    await second.getByText('Send message “Hi there! Let’s get you set up.”: “Message” changed').waitFor();
    await screenshot(page, 'publish-diff');
    await second.getByRole('button', { name: 'Cancel' }).click();
  });

  it('lists the versions and shows version 1 read-only', async () => {
    // Version history: version 1 is live.
    await page.getByRole('button', { name: 'Versions' }).click();
    const history = page.getByRole('dialog', { name: 'Version history' });
    await history.getByTestId('version-1').getByText('Live').waitFor();
    await screenshot(page, 'versions');
    await history.getByRole('button', { name: 'View version 1' }).click();
    await page.getByText('You’re looking at version 1 (read only).').waitFor();
    await block(page, 'n1').getByText('Welcome! Let’s get you set up.').waitFor();
    await page.getByRole('button', { name: 'Back to the draft' }).click();
    await block(page, 'n1').getByText('Hi there!').waitFor();
  });

  it('chats with the draft in the live test, to the end', async () => {
    // Live test: chat with the draft through the simulator, to the end.
    await page.getByRole('button', { name: 'Live test' }).click();
    const live = page.getByRole('complementary', { name: 'Live test' });
    const input = live.getByRole('textbox', { name: 'Your message' });
    await expect.poll(() => input.isEnabled(), { timeout: 15_000 }).toBe(true);
    await input.fill('hello');
    await input.press('Enter');
    await live.getByText('Hi there! Let’s get you set up.').waitFor();
    await live.getByText('Your email address?').waitFor();
    await page.locator('.react-flow__node[data-id="n2"] [data-live="true"]').waitFor();
    await input.fill('nope');
    await live.getByRole('button', { name: 'Send', exact: true }).click();
    await live.getByText('That doesn’t look like an email. Try again?').waitFor();
    await input.fill('ana@example.com');
    await input.press('Enter');
    await live.getByText('Which plan would you like?').waitFor();
    await page.locator('.react-flow__node[data-id="n3"] [data-live="true"]').waitFor();
    await live.getByRole('button', { name: 'Reply 2: Pro' }).click();
    await live.getByText('Thanks! We’ll email ana@example.com about the Pro plan.').waitFor();
    await live.getByTestId('live-status').filter({ hasText: 'Completed' }).waitFor();
    const liveAnswers = live.getByRole('region', { name: 'Answers' });
    await liveAnswers.getByText('ana@example.com').waitFor();
    await liveAnswers.getByText('Pro', { exact: true }).waitFor();
    await screenshot(page, 'live-test');
  });

  it('shows that conversation in the analytics on the canvas', async () => {
    // The same conversation in the per-node analytics on the canvas (test data included).
    await page.getByRole('button', { name: 'Close live test' }).click();
    await page.getByRole('button', { name: 'Show analytics' }).click();
    const bar = page.getByRole('region', { name: 'Flow analytics' });
    await bar.getByText('Include test data').click();
    await bar.getByTestId('analytics-totals').filter({ hasText: '1 starts' }).waitFor();
    await bar.getByTestId('analytics-totals').filter({ hasText: '100% completion' }).waitFor();
    await page.getByTestId('analytics-n2').filter({ hasText: '1 reached1 answered0 dropped' }).waitFor();
    await screenshot(page, 'editor-analytics');
    await page.getByRole('button', { name: 'Show analytics' }).click();
  });

  it('lists the flow as published', async () => {
    // Back on the list: published, version 1.
    await page.getByRole('link', { name: 'Back to flows' }).click();
    await page
      .getByRole('row', { name: /Plan signup/ })
      .getByText('Published · v1')
      .waitFor();
    await screenshot(page, 'flows');
  });

  it('lists the responses, and exports them as CSV', async () => {
    // Responses: the live test's answers, with test data included; exported as CSV.
    await page.getByRole('link', { name: 'Responses' }).click();
    await page.getByRole('heading', { name: 'Choose a flow' }).waitFor();
    await choose(page, page, 'Flow', 'Plan signup');
    await page.getByRole('heading', { name: 'No responses match' }).waitFor();
    await page.getByRole('checkbox', { name: 'Include test data' }).click();
    const table = page.getByRole('table', { name: 'Responses' });
    const row = table.getByRole('row', { name: /ana@example\.com/ });
    await row.getByRole('cell', { name: 'Pro', exact: true }).waitFor();
    await table.getByRole('columnheader', { name: 'email' }).waitFor();
    await table.getByRole('columnheader', { name: 'plan' }).waitFor();
    await screenshot(page, 'responses');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV', exact: true }).click(),
    ]);
    const stream = await file.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const csv = Buffer.concat(chunks);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      'conversation_id,contact,contact_name,version,status,started_at,completed_at,email,plan',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/,\+\d+,,0,completed,.*,ana@example\.com,Pro$/);
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('charts the funnel of that conversation', async () => {
    // Analytics: the funnel of the same conversation.
    await page.getByRole('tab', { name: 'Analytics' }).click();
    const stats = page.getByRole('region', { name: 'Analytics' });
    await stats.getByText('100%').waitFor();
    await stats.getByTestId('funnel-n2').getByText('Your email address?').waitFor();
    await screenshot(page, 'analytics');
  });

  it('filters the conversations and opens a transcript', async () => {
    // Conversations: the live test shows with test data; filtered by flow and status; its transcript.
    await page.getByRole('link', { name: 'Conversations' }).click();
    await page.getByRole('heading', { name: 'No conversations match' }).waitFor();
    await page.getByRole('checkbox', { name: 'Include test data' }).click();
    await choose(page, page, 'Flow', 'Plan signup');
    await choose(page, page, 'Status', 'Completed');
    const conversations = page.getByRole('table', { name: 'Conversations' });
    await conversations.getByText('Completed').waitFor();
    expect(await conversations.getByRole('row').count()).toBe(2);
    await screenshot(page, 'conversations');
    await conversations.getByRole('button', { name: 'Open transcript' }).click();
    const transcript = page.getByRole('dialog', { name: /Conversation with/ });
    await transcript
      .getByRole('list', { name: 'Transcript' })
      .getByText('ana@example.com', { exact: true })
      .waitFor();
    await transcript.getByRole('region', { name: 'Answers' }).getByText('Pro', { exact: true }).waitFor();
    await screenshot(page, 'transcript');
    await page.keyboard.press('Escape');
    await choose(page, page, 'Status', 'With a person');
    await page.getByRole('heading', { name: 'No conversations match' }).waitFor();
  });

  it('adds a number, connects it, cancels and deletes it', async () => {
    // Numbers: add one (the phone is checked inline), see its status, connect (the state comes live
    // from the event stream; without WhatsApp it does not get further than starting/reconnecting).
    await page.getByRole('link', { name: 'Numbers' }).click();
    await page.getByRole('heading', { name: 'No numbers yet' }).waitFor();
    await page.getByRole('button', { name: 'Add number' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add a WhatsApp number' });
    await add.getByRole('textbox', { name: 'Phone number' }).fill('4155550123');
    await add.getByRole('textbox', { name: 'Name (optional)' }).fill('Sales line');
    await add.getByRole('button', { name: 'Add number' }).click();
    await add.getByText('Use the international format').waitFor();
    await add.getByRole('textbox', { name: 'Phone number' }).fill('+14155550123');
    await add.getByRole('button', { name: 'Add number' }).click();
    const number = page.getByTestId('number-+14155550123');
    await number.getByTestId('number-state').filter({ hasText: 'Disconnected' }).waitFor();
    await choose(number, page, 'Flow on +14155550123', 'Plan signup (v1)');
    await page.getByText('“Plan signup” now answers on +14155550123.').waitFor();
    const connectRequest = page.waitForRequest(
      (request) => request.method() === 'POST' && request.url().endsWith('/connect'),
    );
    await number.getByRole('button', { name: 'Connect' }).click();
    expect((await connectRequest).postDataJSON()).toEqual({ method: 'qr' });
    const connectDialog = page.getByRole('dialog', { name: 'Connect +14155550123' });
    await connectDialog
      .getByTestId('number-state')
      .and(
        page.locator(
          '[data-state="starting"],[data-state="qr_pending"],[data-state="reconnecting"],[data-state="failed"]',
        ),
      )
      .waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, 'numbers');
    // Never logged in (WhatsApp Web is out of reach here): Cancel, not Log out.
    await number.getByRole('button', { name: 'Cancel' }).click();
    await number
      .getByTestId('number-state')
      .and(page.locator('[data-state="disconnected"]'))
      .waitFor({ timeout: 15_000 });
    await number.getByRole('button', { name: 'Delete +14155550123' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete number' }).click();
    await page.getByRole('heading', { name: 'No numbers yet' }).waitFor();
  });

  it('logged no error in the browser console', () => {
    expectNoConsoleErrors(errors);
  });
});
