/**
 * The live inbox as two people use it at once: an admin plays the contact in the live test, an
 * agent answers from the inbox, a second agent sees who answers and cannot write over them, and
 * everything moves live between the tabs (no reload, no polling).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let parley: ParleyServer;
let browser: Browser;
let flowId: string;

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'a-long-enough-password';
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

// "Order number" is reached only when an agent hands the conversation back to it.
const definition = {
  schemaVersion: 1,
  name: 'Help desk',
  triggers: [{ id: 't1', type: 'keyword', keywords: ['help'], target: 'ask' }],
  nodes: [
    {
      id: 'ask',
      type: 'question',
      label: 'Name',
      position: { x: 0, y: 0 },
      config: { prompt: 'Your name?', variable: 'name', answer: { type: 'string' } },
    },
    {
      id: 'human',
      type: 'handoff',
      position: { x: 0, y: 160 },
      config: { text: 'Thanks {{name}}, a person will answer you here.' },
    },
    {
      id: 'order',
      type: 'question',
      label: 'Order number',
      position: { x: 320, y: 0 },
      config: { prompt: 'What is your order number?', variable: 'order', answer: { type: 'string' } },
    },
    {
      id: 'done',
      type: 'end',
      position: { x: 320, y: 160 },
      config: { text: 'Thanks {{name}}, order {{order}} is noted.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'ask', sourceHandle: 'next', target: 'human' },
    { id: 'e2', source: 'order', sourceHandle: 'next', target: 'done' },
  ],
};

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', { name: definition.name, definition })
  ).id;
  for (const email of ['ana@example.com', 'bo@example.com']) {
    await apiCall(parley.url, token, 'POST', '/users', { email, password: PASSWORD, role: 'agent' });
    await acceptInvitations(parley.url, email, PASSWORD);
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

/** An agent signs in and lands in the inbox. */
const signInAgent = (page: Page, email: string) => signIn(page, email, PASSWORD, 'Inbox');

describe('the live inbox', () => {
  it('an agent answers a live-test contact; both sides see each other live; the bot takes over again', async () => {
    // A: the agent, in the inbox before anything happens.
    const agent = await openPage(browser, parley.url, LAPTOP);
    const a = agent.page;
    await signInAgent(a, 'ana@example.com');
    await a.getByText('Nobody is waiting for a person right now.').waitFor();
    await a.getByRole('button', { name: 'Turn on notifications' }).waitFor();
    expect(await a.getByTestId('inbox-badge').count()).toBe(0);

    // B: the admin plays the contact in the live test until the flow hands off.
    const admin = await openPage(browser, parley.url, LAPTOP);
    const b = admin.page;
    await signIn(b, parley.adminEmail, parley.adminPassword);
    await b.goto(`/flows/${flowId}`);
    await b.getByRole('button', { name: 'Live test' }).click();
    const live = b.getByRole('complementary', { name: 'Live test' });
    await live.getByRole('button', { name: 'Say “help”' }).click();
    await live.getByText('Your name?').waitFor();
    await live.getByLabel('Your message').fill('Maria');
    await live.getByLabel('Your message').press('Enter');
    await live.getByText('Thanks Maria, a person will answer you here.').waitFor();
    await live.getByTestId('live-handoff').filter({ hasText: 'A person answers now' }).waitFor();

    // A sees it arrive without reloading: the badge and the Waiting list, marked as a test.
    await a.getByTestId('inbox-badge').getByText('1 waiting').waitFor();
    const item = a.getByTestId('inbox-item');
    await item.waitFor();
    await item.getByText('Test', { exact: true }).waitFor();
    await item.getByText(/Waiting/).waitFor();
    await item.click();
    const conversation = a.getByRole('region', { name: /^Conversation with / });
    await conversation.getByText('Thanks Maria, a person will answer you here.').waitFor();
    await conversation.getByRole('region', { name: 'Answers' }).getByText('Maria').waitFor();

    // A takes it and replies; the reply carries A's name and its delivery ticks.
    await conversation.getByRole('button', { name: 'Take' }).click();
    await conversation.getByTestId('conversation-state').filter({ hasText: 'You are answering' }).waitFor();
    const reply = conversation.getByLabel('Your reply');
    await reply.fill('Hello Maria, this is Ana. How can I help?');
    await reply.press('Enter');
    const mine = conversation.getByTestId('inbox-message').filter({ hasText: 'Hello Maria, this is Ana.' });
    await mine.getByText('ana', { exact: true }).waitFor();
    await mine.getByTestId('delivery').waitFor();

    // B sees the agent's reply arrive in the live test, with the agent's name.
    const fromAgent = live
      .locator('[data-direction="agent"]')
      .filter({ hasText: 'Hello Maria, this is Ana.' });
    await fromAgent.waitFor();
    await fromAgent.getByText('ana', { exact: true }).waitFor();
    await screenshot(b, 'live-test-handoff');

    // A saves a reply for next time from the composer, picks it, and sends it with a picture.
    await conversation.getByRole('button', { name: 'Saved replies' }).click();
    await a.getByRole('menuitem', { name: 'Manage saved replies…' }).click();
    const replies = a.getByRole('dialog', { name: 'Saved replies' });
    await replies.getByRole('button', { name: 'New saved reply' }).click();
    await replies.getByLabel('Name', { exact: true }).fill('Photo of the parcel');
    await replies.getByLabel('Reply', { exact: true }).fill('Is this your parcel?');
    await replies.getByRole('button', { name: 'Save reply' }).click();
    await replies.getByText('Photo of the parcel').waitFor();
    await a.keyboard.press('Escape');
    await conversation.getByRole('button', { name: 'Saved replies' }).click();
    await a.getByRole('menuitem', { name: /Photo of the parcel/ }).click();
    expect(await reply.inputValue()).toBe('Is this your parcel?');
    const chooser = a.waitForEvent('filechooser');
    await conversation.getByRole('button', { name: 'Attach an image or a document' }).click();
    await (await chooser).setFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PNG });
    await conversation.getByTestId('attachment').getByText('parcel.png').waitFor();
    await reply.press('Enter');
    const withFile = conversation.getByTestId('inbox-message').filter({ hasText: 'Is this your parcel?' });
    await withFile.getByRole('button', { name: /parcel\.png/ }).waitFor();
    await live.locator('[data-direction="agent"]').filter({ hasText: 'File: parcel.png' }).waitFor();
    // Removing a saved reply asks first.
    await conversation.getByRole('button', { name: 'Saved replies' }).click();
    await a.getByRole('menuitem', { name: 'Manage saved replies…' }).click();
    await replies.getByRole('button', { name: 'Remove Photo of the parcel' }).click();
    await a
      .getByRole('alertdialog', { name: 'Remove “Photo of the parcel”?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await replies.getByText('No saved replies yet.').waitFor();
    await a.keyboard.press('Escape');
    await replies.waitFor({ state: 'detached' });

    // A looks at the Mine list (no conversation open); B answers; A sees it live, unread.
    await a.getByRole('link', { name: /^Inbox/ }).click();
    await a.getByRole('tab', { name: /Mine/ }).click();
    const held = a.getByTestId('inbox-item');
    await held.waitFor();
    await live.getByLabel('Your message').fill('My order is late');
    await live.getByLabel('Your message').press('Enter');
    await held.getByText('My order is late').waitFor();
    await held.getByTestId('unread').filter({ hasText: '1' }).waitFor();
    await a.getByTestId('inbox-badge').getByText('1 unread').waitFor();
    await expect.poll(() => a.title()).toBe('(1) Inbox · Parley');
    // The reply's later events (delivery ticks) never add it to the live test twice.
    expect(await fromAgent.count()).toBe(1);
    await screenshot(a, 'inbox-list');

    // Opening it reads it: the unread count goes.
    await held.click();
    await conversation.getByText('My order is late').waitFor();
    await held.getByTestId('unread').waitFor({ state: 'detached' });

    // C: a second agent sees who answers, and has no box to write over them.
    const other = await openPage(browser, parley.url, LAPTOP);
    const c = other.page;
    await signInAgent(c, 'bo@example.com');
    await c.getByRole('tab', { name: /All/ }).click();
    await c.getByTestId('inbox-item').getByText('ana is answering').waitFor();
    await c.getByTestId('inbox-item').click();
    await c.getByTestId('held-by').filter({ hasText: 'ana is answering this conversation.' }).waitFor();
    expect(await c.getByLabel('Your reply').count()).toBe(0);
    expect(await c.getByRole('button', { name: 'Take over' }).count()).toBe(0);
    // Nor can Bo close it or hand it back over Ana's head.
    expect(await c.getByRole('button', { name: 'More actions' }).count()).toBe(0);
    expect(await c.getByRole('button', { name: 'Hand back to the bot…' }).count()).toBe(0);
    expectNoConsoleErrors(other.errors);
    await other.context.close();

    await screenshot(a, 'inbox');

    // A hands the conversation back to the bot at "Order number"; B goes on with the flow.
    await conversation.getByRole('button', { name: 'Hand back to the bot…' }).click();
    const dialog = a.getByRole('dialog', { name: 'Hand back to the bot' });
    await choose(dialog, a, 'Go on from', 'Question “Order number”');
    await dialog.getByRole('button', { name: 'Hand back' }).click();
    await dialog.waitFor({ state: 'detached' });
    await live.getByText('What is your order number?').waitFor();
    await live.getByLabel('Your message').fill('A-123');
    await live.getByLabel('Your message').press('Enter');
    await live.getByText('Thanks Maria, order A-123 is noted.').waitFor();
    await live.getByTestId('live-status').filter({ hasText: 'Completed' }).waitFor();

    // The conversation left the inbox.
    await conversation.getByText('The bot is handling this conversation.', { exact: false }).waitFor();
    await a.getByRole('link', { name: /^Inbox/ }).click();
    await a.getByText('Nobody is waiting for a person right now.').waitFor();
    await a.getByTestId('inbox-badge').waitFor({ state: 'detached' });

    expectNoConsoleErrors(agent.errors);
    expectNoConsoleErrors(admin.errors);
    await agent.context.close();
    await admin.context.close();
  }, 180_000);

  it('on a phone, the list and the conversation are two screens', async () => {
    // A new hand-off, from the live test as before.
    const admin = await openPage(browser, parley.url, LAPTOP);
    const b = admin.page;
    await signIn(b, parley.adminEmail, parley.adminPassword);
    await b.goto(`/flows/${flowId}`);
    await b.getByRole('button', { name: 'Live test' }).click();
    const live = b.getByRole('complementary', { name: 'Live test' });
    await live.getByRole('button', { name: 'Say “help”' }).click();
    await live.getByText('Your name?').waitFor();
    await live.getByLabel('Your message').fill('Rui');
    await live.getByLabel('Your message').press('Enter');
    await live.getByTestId('live-handoff').waitFor();

    const phone = await openPage(browser, parley.url, PHONE);
    const p = phone.page;
    await signInAgent(p, 'ana@example.com');
    const item = p.getByTestId('inbox-item');
    await item.waitFor();
    await screenshot(p, 'inbox-phone');
    await item.click();
    const conversation = p.getByRole('region', { name: /^Conversation with / });
    await conversation.getByText('Thanks Rui, a person will answer you here.').waitFor();
    expect(await p.getByRole('heading', { name: 'Inbox', exact: true }).count()).toBe(0);
    await conversation.getByRole('button', { name: 'Take' }).click();
    await conversation.getByLabel('Your reply').fill('Hi Rui!');
    await conversation.getByRole('button', { name: 'Send' }).click();
    await conversation.getByTestId('inbox-message').filter({ hasText: 'Hi Rui!' }).waitFor();
    await live.locator('[data-direction="agent"]').filter({ hasText: 'Hi Rui!' }).waitFor();
    // Nothing is wider than the phone.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(p, 'inbox-phone-conversation');

    // Close the hand-off from the menu: it leaves the list.
    await conversation.getByRole('button', { name: 'More actions' }).click();
    await p.getByRole('menuitem', { name: 'Close hand-off' }).click();
    await p
      .getByRole('alertdialog', { name: 'Close this hand-off?' })
      .getByRole('button', { name: 'Close hand-off' })
      .click();
    await conversation.getByText('This hand-off is closed').waitFor();
    await conversation.getByRole('link', { name: 'Back to the list' }).click();
    await p.getByRole('heading', { name: 'Inbox', exact: true }).waitFor();
    await p.getByText('Nobody is waiting for a person right now.').waitFor();
    await live.getByText('The hand-off was closed from the inbox.', { exact: false }).waitFor();

    expectNoConsoleErrors(phone.errors);
    expectNoConsoleErrors(admin.errors);
    await phone.context.close();
    await admin.context.close();
  }, 120_000);

  it('notifies a tab in the background of a new hand-off and of messages in its own, and says when live updates stop', async () => {
    const agent = await openPage(browser, parley.url, LAPTOP);
    const a = agent.page;
    await agent.context.grantPermissions(['notifications']);
    // A headless tab is never in the background: this one says it is, and keeps the titles it shows.
    await a.addInitScript(() => {
      const shown: string[] = [];
      Object.assign(window, { parleyNotifications: shown });
      Object.defineProperty(document, 'hidden', { get: () => true });
      class Recording extends Notification {
        constructor(title: string, options?: NotificationOptions) {
          shown.push(title);
          super(title, options);
        }
      }
      Object.assign(window, { Notification: Recording });
    });
    await signInAgent(a, 'bo@example.com');
    await a.getByRole('button', { name: 'Turn on notifications' }).click();
    await a.getByRole('button', { name: 'Notifications on' }).waitFor();

    const admin = await openPage(browser, parley.url, LAPTOP);
    const b = admin.page;
    await signIn(b, parley.adminEmail, parley.adminPassword);
    await b.goto(`/flows/${flowId}`);
    await b.getByRole('button', { name: 'Live test' }).click();
    const live = b.getByRole('complementary', { name: 'Live test' });
    await live.getByRole('button', { name: 'Say “help”' }).click();
    await live.getByText('Your name?').waitFor();
    await live.getByLabel('Your message').fill('Inês');
    await live.getByLabel('Your message').press('Enter');
    await live.getByTestId('live-handoff').waitFor();
    await expect
      .poll(() =>
        a.evaluate(() => (window as unknown as { parleyNotifications: string[] }).parleyNotifications),
      )
      .toContain('A contact is waiting for a person');
    // Bo takes it: a new message from the contact is announced too.
    await a.getByTestId('inbox-item').click();
    await a.getByRole('button', { name: 'Take' }).click();
    await a.getByTestId('conversation-state').filter({ hasText: 'You are answering' }).waitFor();
    await live.getByLabel('Your message').fill('Is anyone there?');
    await live.getByLabel('Your message').press('Enter');
    await expect
      .poll(() =>
        a.evaluate(() => (window as unknown as { parleyNotifications: string[] }).parleyNotifications),
      )
      .toContainEqual(expect.stringMatching(/^New message from \+\d+ \(test\)$/));

    // Bo may pass it on himself: the team's agents are listed for him.
    await a.getByRole('button', { name: 'More actions' }).click();
    await a.getByRole('menuitem', { name: 'Assign to…' }).click();
    const passOn = a.getByRole('dialog', { name: 'Assign to a colleague' });
    await passOn.getByRole('combobox', { name: 'Colleague', exact: true }).waitFor();
    await passOn.getByRole('button', { name: 'Cancel' }).click();

    // An admin passes the conversation to Ana: Bo's screen says so at once and his box goes.
    const desk = await admin.context.newPage();
    await desk.goto('/inbox?view=all');
    await desk.getByTestId('inbox-item').click();
    await desk.getByRole('button', { name: 'More actions' }).click();
    await desk.getByRole('menuitem', { name: 'Assign to…' }).click();
    const assign = desk.getByRole('dialog', { name: 'Assign to a colleague' });
    await choose(assign, desk, 'Colleague', 'ana');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await desk.getByTestId('conversation-state').filter({ hasText: 'ana is answering' }).waitFor();
    await a.getByTestId('held-by').filter({ hasText: 'ana is answering this conversation.' }).waitFor();
    expect(await a.getByLabel('Your reply').count()).toBe(0);
    // An admin may take over from the holder, and answers then.
    await desk.getByTestId('held-by').getByRole('button', { name: 'Take over' }).click();
    await desk.getByLabel('Your reply').waitFor();
    await a.getByTestId('held-by').filter({ hasText: 'admin is answering this conversation.' }).waitFor();

    // The event stream is refused (a proxy in the way, Parley restarting): the inbox says so, keeps
    // trying, and offers to try at once; when the stream comes back, the notice goes.
    await a.route('**/api/v1/inbox/events', (route) => route.abort('connectionrefused'));
    await a.reload();
    await a.getByRole('status').filter({ hasText: 'Reconnecting to live updates…' }).waitFor();
    const lost = a.getByRole('alert').filter({ hasText: 'Live updates stopped' });
    await lost.waitFor();
    expect(await lost.textContent()).toContain('Parley keeps trying; until then, new messages may not show.');
    await screenshot(a, 'inbox-live-updates-stopped');
    await a.unroute('**/api/v1/inbox/events');
    await lost.getByRole('button', { name: 'Try again' }).click();
    await lost.waitFor({ state: 'detached' });
    await a.getByText(/Reconnecting to live updates/).waitFor({ state: 'detached' });

    expectNoConsoleErrors(agent.errors, [/ERR_CONNECTION_REFUSED|Failed to load resource/]);
    expectNoConsoleErrors(admin.errors);
    await agent.context.close();
    await admin.context.close();
  }, 120_000);
});
