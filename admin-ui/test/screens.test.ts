/**
 * Every screen at a laptop's 1280×720 and a phone's 390×844: nothing wider than the screen, the
 * editor's side panels leave the block being edited in view and fold away, and a phone opens the
 * editor to look at, not to edit.
 */
import { leadCapture } from '@parley/schemas';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, apiCall as once } from './support/api';
import {
  block,
  expectNoConsoleErrors,
  launchChromium,
  openPage,
  screenshot,
  signIn,
} from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

/** Setup calls, tried again while a busy test machine makes the API shed load (503). */
async function apiCall<T>(...args: Parameters<typeof once>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once<T>(...args);
    } catch (error) {
      if (attempt === 5 || !String(error).includes('failed: 503')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

let parley: ParleyServer;
let browser: Browser;
let flowId: string;

const LAPTOP = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
  flowId = (
    await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: 'Front desk intake',
      definition: leadCapture,
    })
  ).id;
  await apiCall(parley.url, token, 'POST', `/flows/${flowId}/publish`);
  for (const [phone, label] of [
    ['+34612345678', 'Front desk'],
    ['+14155550123', 'Weekend line for bookings and questions'],
  ] as const) {
    const number = await apiCall<{ id: string }>(parley.url, token, 'POST', '/numbers', { phone, label });
    await apiCall(parley.url, token, 'PUT', `/numbers/${number.id}/flow`, { flowId });
  }
  // A finished test conversation, so that conversations and responses have rows to show.
  const session = await apiCall<{ id: string }>(parley.url, token, 'POST', '/simulator/sessions', {
    flowId,
    version: 1,
    contact: { name: 'Ana Silva', phone: '+34600111222' },
  });
  for (const text of ['hi', 'Ana Silva', 'ana.silva@example.com', 'Pricing']) {
    await apiCall(parley.url, token, 'POST', `/simulator/sessions/${session.id}/messages`, { text });
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

/** Whether anything is wider than the screen: the page itself, or the main area beside the menu. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const wide: string[] = [];
    const root = document.scrollingElement;
    if (root !== null && root.scrollWidth > window.innerWidth) wide.push(`page ${root.scrollWidth}px`);
    for (const main of document.querySelectorAll('main')) {
      if (main.scrollWidth > main.clientWidth + 1) wide.push(`main ${main.scrollWidth}px`);
    }
    return wide;
  });
}

const PAGES = [
  { path: '/flows', heading: 'Flows', shot: 'flows' },
  { path: '/numbers', heading: 'Numbers', shot: 'numbers' },
  { path: '/conversations', heading: 'Conversations', shot: 'conversations' },
  { path: '/responses', heading: 'Responses', shot: 'responses' },
  { path: '/docs', heading: 'Help', shot: 'help' },
] as const;

describe('screens that fit', () => {
  it('every page fits a laptop and a phone without scrolling sideways', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    for (const size of [LAPTOP, PHONE]) {
      await page.setViewportSize(size);
      for (const { path, heading, shot } of PAGES) {
        await page.goto(path === '/responses' ? `${path}?flow=${flowId}` : path);
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        // The live test's conversation and answers: the rows a table has to fit.
        if (path === '/responses' || path === '/conversations') {
          await page.getByRole('checkbox', { name: 'Include test data' }).click();
          await page
            .getByText(path === '/responses' ? 'ana.silva@example.com' : 'Ana Silva')
            .first()
            .waitFor();
        }
        if (size === PHONE) await screenshot(page, `phone-${shot}`);
        expect(await horizontalOverflow(page), `${path} at ${size.width}px`).toEqual([]);
      }
    }
    await page.goto('/docs/flow-format#71-the-answer-schema');
    await page.getByRole('heading', { name: '7.1 The answer schema' }).waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 120_000);

  it('on a phone the sidebar is a menu', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(PHONE);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Open the menu' }).click();
    const menu = page.getByRole('dialog', { name: 'Menu' });
    await menu.getByRole('link', { name: 'Numbers' }).waitFor();
    await screenshot(page, 'phone-menu');
    await menu.getByRole('link', { name: 'Numbers' }).click();
    await page.getByRole('heading', { name: 'Numbers', exact: true }).waitFor();
    expect(await menu.count()).toBe(0);
    await page.getByRole('button', { name: 'Open the menu' }).click();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Help' }).click();
    await page.getByRole('link', { name: /How flows work/ }).click();
    await page.getByRole('heading', { name: 'Flow Document v1 — format reference' }).waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});

describe('the editor at 1280×720', () => {
  /** The selected block, the canvas and the open side panels, as drawn. */
  async function layout(page: Page, nodeId: string) {
    const node = await block(page, nodeId).boundingBox();
    const canvas = await page.locator('.react-flow').boundingBox();
    const panels = await page.locator('aside:visible').evaluateAll((asides) =>
      asides.map((aside) => {
        const { x, y, width, height } = aside.getBoundingClientRect();
        return { x, y, width, height };
      }),
    );
    if (node === null || canvas === null) throw new Error('the block or the canvas is not drawn');
    return { node, canvas, panels };
  }

  type Box = { x: number; y: number; width: number; height: number };
  const inside = (inner: Box, outer: Box) =>
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height;
  const overlaps = (a: Box, b: Box) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  it('keeps the selected block in view beside the settings and the live test, and folds panels', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(LAPTOP);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    // The last question, at the right end of the flow: the panels open over where it is drawn.
    await block(page, 'n4').click();
    await page.getByRole('complementary', { name: 'Question settings' }).waitFor();
    await page.getByRole('button', { name: 'Live test' }).click();
    await page.getByRole('complementary', { name: 'Live test' }).waitFor();
    await expect.poll(async () => await page.locator('aside:visible').count()).toBe(2);

    await expect
      .poll(async () => {
        const { node, canvas, panels } = await layout(page, 'n4');
        return inside(node, canvas) && panels.every((panel) => !overlaps(node, panel));
      })
      .toBe(true);
    expect(await horizontalOverflow(page)).toEqual([]);
    await screenshot(page, 'editor-1280x720-panels');

    // Settings link to the help pages that explain them.
    const answerTypes = page.getByRole('link', { name: 'Learn more about answer types' });
    expect(await answerTypes.getAttribute('href')).toBe('/docs/flow-format#71-the-answer-schema');

    // Folding the live test gives its width back to the canvas (less the palette, which widens again).
    const before = (await layout(page, 'n4')).canvas.width;
    await page.getByRole('button', { name: 'Hide live test' }).click();
    await expect.poll(async () => (await layout(page, 'n4')).canvas.width).toBeGreaterThan(before + 150);
    await page.getByText('Drag onto the canvas, or click to add.').waitFor();
    await page.getByRole('button', { name: 'Show live test' }).waitFor();
    expect(await page.getByRole('complementary', { name: 'Live test' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show live test' }).click();
    await page.getByRole('complementary', { name: 'Live test' }).waitFor();

    // Folded settings and a narrow palette are remembered in this browser.
    await page.getByRole('button', { name: 'Hide block settings' }).click();
    await page.getByRole('button', { name: 'Live test', exact: true }).click();
    await page.getByRole('button', { name: 'Narrow the blocks panel' }).click();
    await page.reload();
    await block(page, 'n2').click();
    await page.getByRole('button', { name: 'Show block settings' }).waitFor();
    expect(await page.getByRole('complementary', { name: 'Question settings' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Widen the blocks panel' }).waitFor();
    await page.getByRole('button', { name: 'Show block settings' }).click();
    await page.getByRole('complementary', { name: 'Question settings' }).waitFor();
    await page.getByRole('button', { name: 'Widen the blocks panel' }).click();
    await page.getByText('Drag onto the canvas, or click to add.').waitFor();

    await page.getByRole('button', { name: 'Flow settings' }).click();
    const learnMore = page.getByRole('dialog').getByRole('link', { name: 'Learn more about flow settings' });
    await page.goto((await learnMore.getAttribute('href')) ?? '');
    await page.getByRole('heading', { name: '4. Settings' }).waitFor();
    expect(await page.getByRole('heading', { name: '4. Settings' }).isVisible()).toBe(true);
    expectNoConsoleErrors(errors);
    await context.close();
  }, 90_000);
});

describe('the editor on a phone', () => {
  it('opens read only, with a note and nothing to drag or publish, within the screen', async () => {
    const { page, context, errors } = await openPage(browser, parley.url);
    await page.setViewportSize(PHONE);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await page.getByRole('note').filter({ hasText: 'Editing needs a larger screen' }).waitFor();
    await block(page, 'n2').waitFor();
    expect(await page.getByRole('navigation', { name: 'Blocks' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    expect(await page.getByText('Read only').isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toEqual([]);
    await screenshot(page, 'phone-editor');

    // A block's settings can be read, not changed.
    await block(page, 'n2').click();
    const settings = page.getByRole('complementary', { name: 'Question settings' });
    await settings.waitFor();
    expect(await settings.getByRole('textbox', { name: 'Name' }).isDisabled()).toBe(true);
    expect(await horizontalOverflow(page)).toEqual([]);
    await screenshot(page, 'phone-editor-settings');
    expectNoConsoleErrors(errors);
    await context.close();
  }, 60_000);
});
