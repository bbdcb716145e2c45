/**
 * What the AI blocks used, as an admin reads it on the AI providers page: this month's tokens
 * against the quota (set with plain-worded mistakes, a warning at 80%, what happens at 100%), the
 * estimated cost and the tables by flow and by model, another month. Then the AI notes a
 * transcript shows between its messages, in Conversations and in the inbox. Usage rows and notes
 * are inserted as the runtime writes them. At a laptop's 1280×720 and a phone's 390×844.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@parley/db/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, settled, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
// Looked at while writing the test, not published: a temporary directory.
const SHOTS = mkdtempSync(join(tmpdir(), 'parley-ai-usage-'));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let parley: ParleyServer;
let browser: Browser;
let conversationId: string;
/** Tokens used this month by the seeded calls. */
const USED = 4000 + 1000 + 2500 + 500;

async function shot(page: Page, name: string, part?: Locator): Promise<void> {
  await part?.scrollIntoViewIfNeeded();
  await settled(page);
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) <= window.innerWidth)).toBe(
    true,
  );
}

async function seed(workspaceId: string, flowId: string): Promise<void> {
  const db = database.db;
  // This month (at the month's start at the earliest), and one call of the month before.
  const thisMonth = `greatest(date_trunc('month', now()), now() - interval '1 minute')`;
  for (const [kind, model, input, output, cost, error, at] of [
    ['openai', 'gpt-4o-mini', 4000, 1000, 0.0009, null, thisMonth],
    ['anthropic', 'claude-haiku-4-5', 2000, 500, 0.0045, null, thisMonth],
    ['openai_compatible', 'llama3.1', 400, 100, null, null, thisMonth],
    ['openai', 'gpt-4o-mini', 0, 0, null, 'rate_limited', thisMonth],
    ['openai', 'gpt-4o', 10_000, 2_000, 0.045, null, `date_trunc('month', now()) - interval '10 days'`],
  ] as const) {
    await db.query(
      `insert into ai_usage (workspace_id, flow_id, kind, model, input_tokens, output_tokens, cost_usd, error_code, at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, ${at})`,
      [workspaceId, kind === 'openai_compatible' ? null : flowId, kind, model, input, output, cost, error],
    );
  }
  // A conversation handed to a person after the AI reply called a tool and then failed.
  const { rows: numbers } = await db.query<{ id: string }>(
    `insert into numbers (workspace_id, phone, label, state) values ($1, '+14155550170', 'Front desk', 'connected')
     returning id`,
    [workspaceId],
  );
  const numberId = (numbers[0] as { id: string }).id;
  const { rows: versions } = await db.query<{ id: string }>(
    `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum, published_at)
     select workspace_id, id, 1, 'published', draft, 'x', now() from flows where id = $1 returning id`,
    [flowId],
  );
  const { rows: conversations } = await db.query<{ id: string }>(
    `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status,
       started_at, handoff_at)
     values ($1, $2, '+14155550199', $3, $4, gen_random_uuid()::text, 'handoff', now() - interval '5 minutes', now())
     returning id`,
    [workspaceId, numberId, flowId, (versions[0] as { id: string }).id],
  );
  conversationId = (conversations[0] as { id: string }).id;
  const message = async (direction: 'in' | 'out', text: string): Promise<number> => {
    const { rows } = await db.query<{ id: string }>(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, type, body, status)
       values ($1, $2, '+14155550199', $3, $4, 'text', jsonb_build_object('text', $5::text), $6) returning id`,
      [
        workspaceId,
        numberId,
        conversationId,
        direction,
        text,
        direction === 'in' ? 'processed' : 'delivered',
      ],
    );
    return Number((rows[0] as { id: string }).id);
  };
  const note = (kind: string, text: string, after: number) =>
    db.query(
      `insert into conversation_notes (workspace_id, conversation_id, node_id, kind, text, after_message_id)
       values ($1, $2, 'ai1', $3, $4, $5)`,
      [workspaceId, conversationId, kind, text, after],
    );
  const asked = await message('in', 'Can I come next Monday at 10 for a cleaning?');
  await note(
    'ai_tool_call',
    'AI reply “Receptionist” called check_slot with {"day":"2026-12-07","time":"10:00"}: the service answered 200.',
    asked,
  );
  const offered = await message('out', 'Monday at 10 is free. Shall I book it?');
  await message('in', 'Yes please');
  await note(
    'ai_failed',
    'AI reply “Receptionist” left by Failure: the monthly AI token quota is used up.',
    offered + 1,
  );
  await message('out', 'One moment, a person will help you.');
}

beforeAll(async () => {
  database = await createTestDatabase();
  [parley, browser] = await Promise.all([startParley({ DATABASE_URL: database.url }), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  const me = await apiCall<{ workspaceId: string }>(parley.url, token, 'GET', '/me');
  const flow = await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
    name: 'Dental bookings',
  });
  await seed(me.workspaceId, flow.id);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await database?.drop();
});

async function openUsage(page: Page, phone: boolean): Promise<Locator> {
  if (phone) {
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'AI providers' }).click();
  } else {
    await page.getByRole('link', { name: 'AI providers' }).click();
  }
  const usage = page.getByRole('region', { name: 'Usage' });
  await usage.getByTestId('ai-quota').waitFor();
  return usage;
}

describe('AI usage', () => {
  it('an admin reads the month, sets a quota with plain mistakes, and sees the warning and the limit', async () => {
    const { page, errors } = await openPage(browser, parley.url, LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    const usage = await openUsage(page, false);
    const quota = usage.getByTestId('ai-quota');
    await quota.getByText(`${USED.toLocaleString('en')} tokens used. No monthly limit.`).waitFor();
    const totals = usage.getByLabel('Totals');
    await totals.getByText('1 failed').waitFor();
    await totals.getByText('an estimate; 1 call at an unknown price not included').waitFor();
    await totals.getByText('$0.0054').waitFor();
    await usage
      .getByText('Costs are estimates from the providers’ list prices of', { exact: false })
      .waitFor();
    const byFlow = usage.getByRole('table', { name: 'By flow' });
    await byFlow
      .getByRole('row', { name: /Dental bookings/ })
      .getByText('7,500')
      .waitFor();
    await byFlow
      .getByRole('row', { name: /Deleted or no flow/ })
      .getByText('unknown')
      .waitFor();
    const byModel = usage.getByRole('table', { name: 'By model' });
    await byModel
      .getByRole('row', { name: /gpt-4o-mini/ })
      .getByText('1 failed')
      .waitFor();
    await byModel
      .getByRole('row', { name: /claude-haiku-4-5/ })
      .getByText('Anthropic')
      .waitFor();
    await shot(page, 'usage', usage);

    // Mistakes are said beside the field, before anything is sent.
    await quota.getByRole('button', { name: 'Set a monthly quota' }).click();
    const field = quota.getByLabel('Tokens per month', { exact: false });
    await field.fill('two million');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await quota.getByText('Write a whole number of tokens, such as 2000000').waitFor();
    await field.fill('0');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await quota.getByText('The quota must be at least 1 token').waitFor();
    // 8,000 of 9,000: past 80%.
    await field.fill('9,000');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await quota.getByText('8,000 of 9,000 tokens used (89%)', { exact: false }).waitFor();
    await quota.getByRole('status').getByText('Over 80% of the quota is used.', { exact: false }).waitFor();
    expect(await quota.getAttribute('data-state')).toBe('warning');
    await shot(page, 'usage-warning', quota);

    await quota.getByRole('button', { name: 'Change the quota' }).click();
    await field.fill('8000');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await quota
      .getByRole('alert')
      .getByText('The quota is used up: AI blocks now leave by Failure', { exact: false })
      .waitFor();
    expect(await quota.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await shot(page, 'usage-reached', quota);

    // The month before: its own calls; no month after this one.
    await expect(usage.getByRole('button', { name: 'Next month' }).isDisabled()).resolves.toBe(true);
    await usage.getByRole('button', { name: 'Previous month' }).click();
    await byModel
      .getByRole('row', { name: /gpt-4o\b/ })
      .getByText('$0.045')
      .waitFor();
    expect(await byModel.getByRole('row', { name: /claude/ }).count()).toBe(0);
    await usage.getByRole('button', { name: 'Previous month' }).click();
    await usage.getByText('No AI calls in', { exact: false }).waitFor();

    // Back to no limit: an empty field.
    await quota.getByRole('button', { name: 'Change the quota' }).click();
    await field.fill('');
    await quota.getByRole('button', { name: 'Save quota' }).click();
    await quota.getByText('No monthly limit.', { exact: false }).waitFor();
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 90_000);

  it('fits a phone', async () => {
    const { page, errors } = await openPage(browser, parley.url, PHONE);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    const usage = await openUsage(page, true);
    await usage.getByRole('table', { name: 'By model' }).getByText('claude-haiku-4-5').waitFor();
    await noSidewaysScroll(page);
    await shot(page, 'phone-usage', usage);
    await usage.getByRole('table', { name: 'By flow' }).scrollIntoViewIfNeeded();
    await shot(page, 'phone-usage-tables');
    await noSidewaysScroll(page);
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 60_000);
});

describe('AI notes in transcripts', () => {
  const expected = [
    'Can I come next Monday at 10 for a cleaning?',
    'Tool call',
    'Monday at 10 is free. Shall I book it?',
    'Yes please',
    'AI failed',
    'One moment, a person will help you.',
  ];

  /** The transcript's lines, each named by its first words that `expected` names. */
  async function lines(list: Locator): Promise<string[]> {
    const texts = await list.getByRole('listitem').allInnerTexts();
    return texts
      .map((text) => expected.find((start) => text.includes(start)))
      .filter((line): line is string => line !== undefined);
  }

  it('shows the tool call with its arguments and the failure between the messages (Conversations)', async () => {
    const { page, errors } = await openPage(browser, parley.url, LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto('/conversations');
    await page
      .getByRole('table', { name: 'Conversations' })
      .getByRole('button', { name: 'Open transcript' })
      .click();
    const transcript = page.getByRole('dialog', { name: /Conversation with/ }).getByRole('list', {
      name: 'Transcript',
    });
    const tool = transcript.getByTestId('transcript-note').filter({ hasText: 'Tool call' });
    await tool.getByText('{"day":"2026-12-07","time":"10:00"}', { exact: false }).waitFor();
    expect(await lines(transcript)).toEqual(expected);
    await shot(page, 'transcript-notes');
    expectNoConsoleErrors(errors);
    await page.context().close();
  }, 60_000);

  for (const [name, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    it(`shows them in the inbox too (${name})`, async () => {
      const { page, errors } = await openPage(browser, parley.url, viewport);
      await signIn(page, parley.adminEmail, parley.adminPassword);
      await page.goto(`/inbox/${conversationId}`);
      const messages = page.getByRole('list', { name: 'Messages' });
      await messages.getByTestId('transcript-note').filter({ hasText: 'quota is used up' }).waitFor();
      expect(await lines(messages)).toEqual(expected);
      await noSidewaysScroll(page);
      await shot(page, `inbox-notes-${name}`);
      expectNoConsoleErrors(errors);
      await page.context().close();
    }, 60_000);
  }
});
