/**
 * What people set and read around hand-offs, walked as an admin does: business hours on the
 * Workspace screen (a mistake shown beside its day before saving, a preview of what a contact
 * reads, saved and read back; a viewer reads them), an alert rule for a contact waiting for a
 * person, and a flow's hand-offs on its analytics tab. At a laptop's 1280×720 and a phone's 390×844.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@parley/db/testing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitations, apiCall, apiLogin } from './support/api';
import { choose, expectNoConsoleErrors, launchChromium, openPage, settled, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'a-long-enough-password';
const VIEWER = 'vi.viewer@example.com';
// Looked at while writing the test, not published: a temporary directory.
const SHOTS = mkdtempSync(join(tmpdir(), 'parley-handoff-settings-'));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let parley: ParleyServer;
let browser: Browser;
let flowId: string;

/** What the screen shows, with `part` scrolled into view (the main area scrolls, not the page). */
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

/** Hand-offs of the flow as the runtime leaves them: Ana answered two, one still waits for anyone. */
async function seedHandoffs(workspaceId: string): Promise<void> {
  const { rows: users } = await database.db.query<{ id: string }>(
    `insert into users (email) values ('ana@clinic.example') returning id`,
  );
  const ana = (users[0] as { id: string }).id;
  const { rows: numbers } = await database.db.query<{ id: string }>(
    `insert into numbers (workspace_id, phone, label, state) values ($1, '+14155550170', 'Front desk', 'connected')
     returning id`,
    [workspaceId],
  );
  const numberId = (numbers[0] as { id: string }).id;
  const { rows: versions } = await database.db.query<{ id: string }>(
    `insert into flow_versions (workspace_id, flow_id, version, status, definition, checksum, published_at)
     select workspace_id, id, 1, 'published', draft, 'x', now() from flows where id = $1 returning id`,
    [flowId],
  );
  const versionId = (versions[0] as { id: string }).id;
  for (const [minutesAgo, replyAfter, holder] of [
    [50, 3, ana],
    [40, 12, ana],
    [5, null, null],
  ] as const) {
    const { rows } = await database.db.query<{ id: string }>(
      `insert into conversations (workspace_id, number_id, contact, flow_id, flow_version_id, engine_id, status,
         started_at, handoff_at, first_agent_reply_at, assigned_user_id)
       values ($1, $2, $3, $4, $5, $6, 'handoff', now() - interval '1 hour',
         now() - $7::integer * interval '1 minute',
         now() - $7::integer * interval '1 minute' + $8::integer * interval '1 minute', $9)
       returning id`,
      [
        workspaceId,
        numberId,
        `+1555${minutesAgo}0001`,
        flowId,
        versionId,
        randomUUID(),
        minutesAgo,
        replyAfter,
        holder,
      ],
    );
    if (replyAfter === null) continue;
    await database.db.query(
      `insert into messages (workspace_id, number_id, contact, conversation_id, direction, body, status, created_at)
       select workspace_id, number_id, contact, id, 'out', $2::jsonb, 'read', first_agent_reply_at
       from conversations where id = $1`,
      [
        (rows[0] as { id: string }).id,
        JSON.stringify({ kind: 'agent', text: 'Hi!', agent: { id: ana, name: 'Ana' } }),
      ],
    );
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  [parley, browser] = await Promise.all([startParley({ DATABASE_URL: database.url }), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  await apiCall(parley.url, token, 'POST', '/users', { email: VIEWER, password: PASSWORD, role: 'viewer' });
  await acceptInvitations(parley.url, VIEWER, PASSWORD);
  flowId = (await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', { name: 'Help desk' })).id;
  const workspace = await apiCall<{ id: string }>(parley.url, token, 'GET', '/workspace');
  await seedHandoffs(workspace.id);
  console.info(`hand-off settings screenshots: ${SHOTS}`);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await database?.drop();
});

describe('hand-off settings and measures', () => {
  it('an admin sets business hours: a mistake shown by its day, a preview, saved and read back', async () => {
    const { page, context, errors } = await openPage(browser, parley.url, LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto('/workspace');
    const hours = page.getByRole('region', { name: 'Business hours' });
    await hours.getByRole('radio', { name: /Always open/ }).waitFor();
    expect(await hours.getByRole('radio', { name: /Always open/ }).isChecked()).toBe(true);
    await hours.getByRole('radio', { name: /Opening hours/ }).check();

    // Weekdays 09:00–17:00 to start from; the time zone from the list.
    expect(await hours.getByLabel('Monday opens at').inputValue()).toBe('09:00');
    expect(await hours.getByLabel('Saturday', { exact: true }).isChecked()).toBe(false);
    await hours.getByRole('combobox', { name: 'Time zone' }).click();
    await page.keyboard.type('Europe/Lisbon');
    await page.getByRole('option', { name: /^Europe\/Lisbon — \d\d:\d\d now$/ }).click();

    // A closing time before the opening: said beside Wednesday, and saving waits.
    await hours.getByLabel('Wednesday closes at').fill('08:00');
    await hours.getByText('Wednesday: 09:00 to 08:00 ends before it starts.', { exact: false }).waitFor();
    expect(await hours.getByRole('button', { name: 'Save business hours' }).isDisabled()).toBe(true);
    await hours.getByLabel('Wednesday closes at').fill('12:00');
    await hours.getByRole('button', { name: 'Add hours after a break' }).nth(2).click();
    await hours.getByLabel('Wednesday opens at').nth(1).fill('14:00');
    await hours.getByLabel('Wednesday closes at').nth(1).fill('18:00');
    await hours.getByLabel('Saturday', { exact: true }).check();
    await hours.getByLabel('Saturday closes at').fill('13:00');
    await hours
      .getByLabel('Message outside opening hours')
      .fill('We are closed now. Someone will answer on {{opens_at}}.');
    const preview = hours.getByRole('region', { name: 'What the contact reads' });
    expect(await preview.innerText()).toMatch(
      /We are closed now\. Someone will answer on [A-Z][a-z]+day at \d\d:\d\d\./,
    );
    await shot(page, '1-business-hours-top', hours.getByRole('heading', { name: 'Business hours' }));
    await shot(page, '1-business-hours-bottom', preview);
    await hours.getByRole('button', { name: 'Save business hours' }).click();
    await page.getByText('Business hours saved').waitFor();

    const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
    const saved = await apiCall<{ businessHours: unknown }>(parley.url, token, 'GET', '/workspace');
    const weekday = [{ from: '09:00', to: '17:00' }];
    expect(saved.businessHours).toEqual({
      timeZone: 'Europe/Lisbon',
      days: {
        mon: weekday,
        tue: weekday,
        wed: [
          { from: '09:00', to: '12:00' },
          { from: '14:00', to: '18:00' },
        ],
        thu: weekday,
        fri: weekday,
        sat: [{ from: '09:00', to: '13:00' }],
      },
      closedText: 'We are closed now. Someone will answer on {{opens_at}}.',
    });
    await page.reload();
    expect(await hours.getByLabel('Saturday closes at').inputValue()).toBe('13:00');
    await noSidewaysScroll(page);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('an admin asks to be told when a contact waits for a person', async () => {
    const { page, context, errors } = await openPage(browser, parley.url, LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New alert rule' });
    await dialog.getByLabel('Name').fill('Someone waits');
    await choose(dialog, page, 'Alert when', 'A contact is waiting for a person');
    await dialog
      .getByText('Sent the moment a flow hands a contact over to a person', { exact: false })
      .waitFor();
    await dialog.getByLabel('Email to (optional)').fill('desk@clinic.example');
    await shot(page, '2-handoff-alert-rule');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('It is sent the moment a contact is handed over.').waitFor();
    await page
      .getByRole('list', { name: 'Alert rules' })
      .getByText('A contact is waiting for a person · sent to desk@clinic.example')
      .waitFor();
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('the analytics tab shows the flow’s hand-offs and who answered them', async () => {
    const { page, context, errors } = await openPage(browser, parley.url, LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/responses?flow=${flowId}&tab=analytics`);
    const section = page.getByRole('region', { name: 'Hand-offs to people' });
    await section.scrollIntoViewIfNeeded();
    await section.getByText('Handed over', { exact: true }).waitFor();
    const figures = await section.locator('p.text-2xl').allInnerTexts();
    // 3 handed over, 3 still with a person, first replies after 3 and 12 minutes.
    expect(figures).toEqual(['3', '3', '8 min', '11 min']);
    await section.getByText('2 of 3 answered').waitFor();
    const row = section.getByRole('row').filter({ hasText: 'Ana' });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['Ana', '2', '2', '8 min']);
    await shot(page, '3-analytics-handoffs');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);

  it('on a phone: the hours read by a viewer, the form and the hand-off figures fit', async () => {
    const viewer = await openPage(browser, parley.url, PHONE);
    await signIn(viewer.page, VIEWER, PASSWORD);
    await viewer.page.goto('/workspace');
    await viewer.page.getByText('In Europe/Lisbon time:').waitFor();
    await viewer.page.getByText('Wednesday: 09:00–12:00, 14:00–18:00').waitFor();
    await viewer.page.getByText('Sunday: closed').waitFor();
    expect(await viewer.page.getByRole('button', { name: 'Save business hours' }).count()).toBe(0);
    await shot(viewer.page, '4-phone-viewer-hours');
    await noSidewaysScroll(viewer.page);
    expectNoConsoleErrors(viewer.errors);
    await viewer.context.close();

    const admin = await openPage(browser, parley.url, PHONE);
    await signIn(admin.page, parley.adminEmail, parley.adminPassword);
    await admin.page.goto('/workspace');
    await admin.page.getByRole('button', { name: 'Save business hours' }).waitFor();
    await shot(admin.page, '5-phone-business-hours', admin.page.getByLabel('Wednesday opens at').first());
    await noSidewaysScroll(admin.page);
    await admin.page.goto(`/responses?flow=${flowId}&tab=analytics`);
    await admin.page
      .getByRole('region', { name: 'Hand-offs to people' })
      .getByText('Handed over', { exact: true })
      .waitFor();
    await shot(
      admin.page,
      '6-phone-analytics-handoffs',
      admin.page.getByRole('table', { name: 'Hand-offs per person' }),
    );
    await noSidewaysScroll(admin.page);
    expectNoConsoleErrors(admin.errors);
    await admin.context.close();
  }, 60_000);
});
