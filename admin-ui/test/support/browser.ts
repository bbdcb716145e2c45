import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/** The system Chromium, headless, with nothing reaching out to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PARLEY_CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/** A fresh laptop-sized (1280×800) tab that records console errors. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, baseURL });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return { page, context, errors };
}

/** Signs in and waits for the page people land on: Flows, or the Inbox for agents. */
export async function signIn(
  page: Page,
  email: string,
  password: string,
  landing: 'Flows' | 'Inbox' = 'Flows',
): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: landing, exact: true }).waitFor();
}

/**
 * Resolves once the page stands still: fonts loaded, no CSS animation or transition running, and
 * the canvas viewport (animated by script when it fits or zooms) unchanged since the last frame.
 */
export async function settled(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForFunction(() => {
    const state = window as unknown as { parleyLastViewport?: string };
    const viewport = document.querySelector('.react-flow__viewport')?.getAttribute('style') ?? '';
    const still =
      viewport === state.parleyLastViewport &&
      document.getAnimations().every((animation) => animation.playState !== 'running');
    state.parleyLastViewport = viewport;
    return still;
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await settled(page);
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
}

/** Picks an option of a (Radix) select by the select's label. */
export async function choose(
  scope: Page | Locator,
  page: Page,
  label: string,
  option: string,
): Promise<void> {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Drags a block from the palette onto the canvas at a point of the canvas. */
export async function dropNode(page: Page, title: string, x: number, y: number): Promise<void> {
  await page
    .getByRole('button', { name: new RegExp(`^Add ${title}:`) })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

export function block(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

/** Draws a connection: from an outcome's dot of one block to the middle of another block. */
export async function connect(page: Page, source: string, handle: string, target: string): Promise<void> {
  const from = await block(page, source)
    .locator(`.react-flow__handle.source[data-handleid="${handle}"]`)
    .boundingBox();
  const to = await block(page, target).boundingBox();
  if (from === null || to === null) throw new Error(`cannot see ${source}:${handle} or ${target}`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** Waits until the draft is saved (autosave). */
export async function waitSaved(page: Page): Promise<void> {
  await page
    .getByTestId('save-status')
    .filter({ hasText: /^Saved$/ })
    .waitFor({ timeout: 10_000 });
}

export function expectNoConsoleErrors(errors: string[], allowed: RegExp[] = []): void {
  expect(errors.filter((error) => !allowed.some((pattern) => pattern.test(error)))).toEqual([]);
}
