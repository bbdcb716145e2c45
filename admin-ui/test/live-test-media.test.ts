import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api';
import { expectNoConsoleErrors, launchChromium, openPage, screenshot, signIn } from './support/browser';
import { type ParleyServer, startParley } from './support/parley-server';

let parley: ParleyServer;
let browser: Browser;

beforeAll(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const definition = {
  schemaVersion: 1,
  name: 'Receipt and place',
  triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'q1' }],
  nodes: [
    {
      id: 'q1',
      type: 'question',
      config: {
        prompt: 'Send a photo of the receipt',
        variable: 'photo',
        accept: 'media',
        answer: { type: 'object', required: ['url', 'mimeType'] },
      },
    },
    {
      id: 'q2',
      type: 'question',
      config: {
        prompt: 'Where are you?',
        variable: 'place',
        accept: 'location',
        answer: { type: 'object', required: ['lat', 'lng'] },
      },
    },
    { id: 'end', type: 'end', config: { text: 'Thanks, all received!' } },
  ],
  edges: [
    { id: 'e1', source: 'q1', sourceHandle: 'next', target: 'q2' },
    { id: 'e2', source: 'q2', sourceHandle: 'next', target: 'end' },
  ],
};

describe('the live test sends files and locations', () => {
  it('answers a media question with an image and a location question with a location', async () => {
    const token = await apiLogin(parley.url, parley.adminEmail, parley.adminPassword);
    const flow = await apiCall<{ id: string }>(parley.url, token, 'POST', '/flows', {
      name: definition.name,
      definition,
    });
    const { page, errors } = await openPage(browser, parley.url);
    await signIn(page, parley.adminEmail, parley.adminPassword);
    await page.goto(`/flows/${flow.id}`);
    await page.getByRole('button', { name: 'Live test' }).click();
    const live = page.getByRole('complementary', { name: 'Live test' });

    await live.getByRole('button', { name: 'Say “hi”' }).click();
    await live.getByText('Send a photo of the receipt').waitFor();

    // "Send an image" opens a file picker; the chosen picture answers the media question.
    const chooser = page.waitForEvent('filechooser');
    await live.getByRole('button', { name: 'Send an image' }).click();
    await (await chooser).setFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await live.getByText('File: receipt.png').waitFor();
    await live.getByText('Where are you?').waitFor();

    await live.getByRole('button', { name: 'Send a location' }).click();
    const form = live.getByRole('form', { name: 'Send a location' });
    await form.getByLabel('Latitude').fill('38.7223');
    await form.getByLabel('Longitude').fill('-9.1393');
    await screenshot(page, 'live-test-media');
    await form.getByRole('button', { name: 'Send location' }).click();
    await live.getByText('Thanks, all received!').waitFor();
    await live.getByTestId('live-status').filter({ hasText: 'Completed' }).waitFor();
    await live
      .getByRole('region', { name: 'Answers' })
      .getByText(/parley-media:\/\/.*receipt\.png/)
      .waitFor();
    await screenshot(page, 'live-test-media-done');

    // The picture is in the media store (embedded default: PARLEY_DATA_DIR/media).
    const files = await readdir(join(parley.dataDir, 'media'), { recursive: true });
    expect(files.some((file) => String(file).endsWith('-receipt.png'))).toBe(true);
    expectNoConsoleErrors(errors);
  });
});
