/**
 * The numbers page tells why a number is in its state and offers the buttons that fit it: a number
 * whose WhatsApp Web cannot be reached fails after the bounded attempts with the reason and
 * "Try again"; a number being connected offers "Cancel" (no "Log out" before a login). At a
 * laptop's 1280×720 and a phone's 390×844.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { WhatsAppNumber } from '@parley/contract';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };
const FAILING = '+14155550101';
const CONNECTING = '+14155550102';
/** Opens the details of /readyz. */
const METRICS_TOKEN = 'number-states-metrics-token-0123456789';

let parley: ParleyServer;
let browser: Browser;
let page: Page;
let errors: string[];
let webPort: number;
let token: string;
/** Stands for web.whatsapp.com in the runtime's check before each launch; closed at first. */
let web: Server | null = null;
const sockets: Socket[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** WhatsApp Web that accepts a connection and never answers: a check that waits (the number stays connecting). */
async function webThatNeverAnswers(): Promise<void> {
  web = createServer((socket) => sockets.push(socket));
  const server = web;
  await new Promise<void>((resolve) => server.listen(webPort, '127.0.0.1', resolve));
}

beforeAll(async () => {
  webPort = await freePort();
  [parley, browser] = await Promise.all([
    startParley({
      PARLEY_WA_CHECK_URL: `http://127.0.0.1:${webPort}/`,
      PARLEY_WA_CHECK_TIMEOUT_MS: '120000',
      PARLEY_WA_MAX_ATTEMPTS: '2',
      PARLEY_WA_RECONNECT_BASE_MS: '300',
      PARLEY_WA_RECONNECT_MAX_MS: '600',
      PARLEY_WA_SCAN_MS: '500',
      PARLEY_METRICS_TOKEN: METRICS_TOKEN,
    }),
    launchChromium(),
  ]);
  token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  for (const [phone, label] of [
    [FAILING, 'Front desk'],
    [CONNECTING, 'Weekend line'],
  ] as const) {
    await apiCall(parley.url, token, 'POST', '/numbers', { phone, label });
  }
  ({ page, errors } = await openPage(browser, parley.url));
  await page.setViewportSize(LAPTOP);
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => (web === null ? resolve(undefined) : web.close(resolve)));
  await browser?.close();
  await parley?.stop();
});

const row = (phone: string) => page.getByTestId(`number-${phone}`);
const stateOf = (phone: string, state: string) =>
  row(phone)
    .getByTestId('number-state')
    .and(page.locator(`[data-state="${state}"]`));

describe('the numbers page, number by number', () => {
  it('shows a number that cannot reach WhatsApp Web as failed, with the reason and Try again', async () => {
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.getByRole('link', { name: 'Numbers' }).click();
    await stateOf(FAILING, 'disconnected').waitFor();
    // Nothing is logged in yet: nothing to log out.
    expect(await row(FAILING).getByRole('button', { name: 'Log out' }).count()).toBe(0);
    await row(FAILING).getByRole('button', { name: 'Connect' }).click();
    const dialog = page.getByRole('dialog', { name: `Connect ${FAILING}` });
    // The dialog says why instead of waiting for a code forever, and offers to try again.
    await dialog.getByText('The server cannot reach WhatsApp Web.').waitFor({ timeout: 30_000 });
    await dialog.getByTestId('number-state').and(page.locator('[data-state="failed"]')).waitFor();
    await dialog.getByRole('button', { name: 'Try again' }).waitFor();
    await page.keyboard.press('Escape');

    const reason = row(FAILING).getByTestId('number-reason');
    expect(await reason.getAttribute('data-reason')).toBe('web_unreachable');
    await reason.getByText('Gave up after 2 attempts.').waitFor();
    await reason.getByText(`Detail: 127.0.0.1:${webPort} refused the connection (ECONNREFUSED)`).waitFor();
    await reason.getByText(/then press Try again\.$/).waitFor();
    const buttons = row(FAILING).getByRole('button');
    expect(await buttons.allInnerTexts()).toEqual(['Try again', '']);
    expect(await buttons.last().getAttribute('aria-label')).toBe(`Delete ${FAILING}`);
  });

  it('says the same as the event stream and /readyz', async () => {
    const { items } = await apiCall<{ items: WhatsAppNumber[] }>(parley.url, token, 'GET', '/numbers');
    const listed = items.find((number) => number.phone === FAILING) as WhatsAppNumber;
    expect(listed).toMatchObject({ state: 'failed', reason: { code: 'web_unreachable' } });
    const reason = listed.reason as NonNullable<WhatsAppNumber['reason']>;

    // The stream the page follows: its first event is the state now.
    const stop = new AbortController();
    const stream = await fetch(`${parley.url}/api/v1/numbers/${listed.id}/events`, {
      headers: { authorization: `Bearer ${token}` },
      signal: stop.signal,
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!/^data: .*$/m.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    stop.abort();
    const first = JSON.parse((/^data: (.*)$/m.exec(text) as RegExpExecArray)[1] as string);
    expect(first).toMatchObject({ state: 'failed', reason });

    const readyz = await fetch(`${parley.url}/readyz`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    }).then((response) => response.json());
    expect(readyz.checks.whatsapp.detail.stopped[listed.id]).toEqual(
      expect.objectContaining({ state: 'failed', reason }),
    );

    const shown = await row(FAILING).getByTestId('number-reason').innerText();
    for (const words of [reason.message, reason.detail, reason.nextStep]) expect(shown).toContain(words);
  });

  it('offers Cancel while a number is connecting, and nothing else', async () => {
    await webThatNeverAnswers();
    await row(CONNECTING).getByRole('button', { name: 'Connect' }).click();
    const dialog = page.getByRole('dialog', { name: `Connect ${CONNECTING}` });
    await dialog.getByTestId('number-state').and(page.locator('[data-state="starting"]')).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).waitFor();
    await page.keyboard.press('Escape');
    await row(CONNECTING).getByText('Opening WhatsApp Web on the server…').waitFor();
    expect(await row(CONNECTING).getByRole('button').allInnerTexts()).toEqual(['Cancel', '']);
    await screenshot(page, 'number-states');

    await page.setViewportSize(PHONE);
    await row(FAILING).getByRole('button', { name: 'Try again' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'number-states-phone');
    const overflow = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
    expect(overflow).toBeLessThanOrEqual(PHONE.width);
    await page.setViewportSize(LAPTOP);
  });

  it('cancels: the number stops connecting at once and can be connected again', async () => {
    const cancel = page.waitForRequest(
      (request) => request.method() === 'POST' && request.url().endsWith('/cancel'),
    );
    await row(CONNECTING).getByRole('button', { name: 'Cancel' }).click();
    await cancel;
    // The check still waits for an answer: the cancel must not.
    await stateOf(CONNECTING, 'disconnected').waitFor({ timeout: 10_000 });
    await row(CONNECTING).getByText('An admin stopped connecting this number.').waitFor();
    await row(CONNECTING).getByRole('button', { name: 'Connect' }).waitFor();
  });

  it('tries again from failed: connecting, with Cancel', async () => {
    await row(FAILING).getByRole('button', { name: 'Try again' }).click();
    const dialog = page.getByRole('dialog', { name: `Connect ${FAILING}` });
    await dialog.getByTestId('number-state').and(page.locator('[data-state="starting"]')).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await stateOf(FAILING, 'disconnected').waitFor({ timeout: 10_000 });
    expect(await row(FAILING).getByRole('button', { name: 'Try again' }).count()).toBe(0);
  });

  it('logged no error in the browser console', () => {
    expectNoConsoleErrors(errors);
  });
});
