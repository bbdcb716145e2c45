import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalMediaStore, type MediaStore, mediaKeyOfUrl } from '@parley/db';
import { createTestS3 } from '@parley/db/testing';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

/** "hi" asks for a photo, then for a location, then ends. */
export function photoAndPlaceFlow() {
  return {
    schemaVersion: 1,
    name: 'Photo and place',
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
      { id: 'end', type: 'end', config: { text: 'Thanks!' } },
    ],
    edges: [
      { id: 'e1', source: 'q1', sourceHandle: 'next', target: 'q2' },
      { id: 'e2', source: 'q2', sourceHandle: 'next', target: 'end' },
    ],
  };
}

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const MAX_BYTES = 4096;
const LINK_TTL_MS = 3000;

interface Backend {
  name: string;
  open(): Promise<{ store: MediaStore; keys: () => Promise<string[]>; close: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'a local folder',
    open: async () => {
      const folder = await mkdtemp(join(tmpdir(), 'parley-api-media-'));
      return {
        store: new LocalMediaStore(folder),
        keys: async () =>
          (await readdir(folder, { recursive: true, withFileTypes: true }))
            .filter((entry) => entry.isFile() && !entry.name.endsWith('.type'))
            .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1)),
        close: () => rm(folder, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'S3-compatible storage (s3rver)',
    open: async () => {
      const s3 = await createTestS3();
      return { store: s3.store, keys: s3.keys, close: s3.close };
    },
  },
];

describe.each(backends)('received files in $name', (backend) => {
  let api: TestApi;
  let runtime: RuntimeService;
  let storage: Awaited<ReturnType<Backend['open']>>;
  let editor: Client;
  let viewer: Client;
  let other: Client;
  let flowId: string;
  let contactCounter = 0;

  /** A live test that sends "hi", a picture and a location; returns the stored photo's key. */
  async function answerWithPhoto(): Promise<{ key: string; phone: string; sessionId: string }> {
    const phone = `+1415555${String(1000 + contactCounter++)}`;
    const session = await editor.call('post', '/simulator/sessions', { flowId, contact: { phone } });
    expect(session.status).toBe(201);
    const sessionId = session.body.id as string;
    const hi = await editor.call('post', `/simulator/sessions/${sessionId}/messages`, { text: 'hi' });
    expect(hi.body.messages.map((m: { text: string }) => m.text)).toEqual(['Send a photo of the receipt']);
    const photo = await editor.call('post', `/simulator/sessions/${sessionId}/files`, {
      name: 'receipt.png',
      mimeType: 'image/png',
      data: PNG.toString('base64'),
    });
    expect(photo.status, JSON.stringify(photo.body)).toBe(200);
    expect(photo.body.messages.map((m: { text: string }) => m.text)).toEqual(['Where are you?']);
    const place = await editor.call('post', `/simulator/sessions/${sessionId}/locations`, {
      lat: 38.72,
      lng: -9.14,
      name: 'Lisbon',
    });
    expect(place.status).toBe(200);
    expect(place.body.status).toBe('completed');
    expect(place.body.answers.place).toEqual({ lat: 38.72, lng: -9.14, name: 'Lisbon' });
    expect(place.body.answers.photo).toMatchObject({
      mimeType: 'image/png',
      name: 'receipt.png',
      size: PNG.length,
    });
    const key = mediaKeyOfUrl(place.body.answers.photo.url);
    expect(key).not.toBeNull();
    return { key: key as string, phone, sessionId };
  }

  beforeAll(async () => {
    storage = await backend.open();
    api = await startTestApi({ mediaMaxBytes: MAX_BYTES, mediaLinkTtlMs: LINK_TTL_MS }, null, storage.store);
    runtime = await startTestRuntime(api.db, api.bus);
    editor = await api.member('editor');
    viewer = await api.member('viewer');
    other = await api.otherWorkspace();
    const definition = photoAndPlaceFlow();
    const created = await editor.call('post', '/flows', { name: definition.name, definition });
    flowId = created.body.id;
    expect((await editor.call('post', `/flows/${flowId}/publish`)).status).toBe(201);
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
    await storage?.close();
  });

  it('stores a sent picture and serves it to the workspace’s viewers only', async () => {
    const { key } = await answerWithPhoto();
    expect(await storage.keys()).toContain(key);

    const download = await fetch(`${api.base}/media/${key}`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-disposition')).toBe('inline; filename="receipt.png"');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);

    // Another workspace's member: as if it did not exist. Nobody signed in: 401.
    expect((await other.call('get', `/media/${key}`)).status).toBe(404);
    expect((await fetch(`${api.base}/media/${key}`)).status).toBe(401);
    const [workspace, folder] = key.split('/');
    const missing = await viewer.call(
      'get',
      `/media/${workspace}/${folder}/00000000-0000-4000-8000-000000000000-x.png`,
    );
    expect(missing.status).toBe(404);
  });

  it('serves anything but safe pictures, sound and video as a download', async () => {
    const session = await editor.call('post', '/simulator/sessions', {
      flowId,
      contact: { phone: '+14155559990' },
    });
    await editor.call('post', `/simulator/sessions/${session.body.id}/messages`, { text: 'hi' });
    const sent = await editor.call('post', `/simulator/sessions/${session.body.id}/files`, {
      name: 'notes.txt',
      mimeType: 'text/plain',
      data: Buffer.from('<script>alert(1)</script>').toString('base64'),
    });
    expect(sent.status).toBe(200);
    const answers = (await editor.call('get', `/simulator/sessions/${session.body.id}`)).body.answers;
    const download = await fetch(`${api.base}/media/${mediaKeyOfUrl(answers.photo.url)}`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="notes.txt"');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('puts a working signed link in exports, which expires', async () => {
    const { key } = await answerWithPhoto();
    const exported = await viewer.call(
      'get',
      `/flows/${flowId}/responses/export?format=csv&includeTest=true`,
    );
    expect(exported.status).toBe(200);
    const link = (exported.body as string)
      .match(/https?:\/\/\S+\/api\/v1\/media\/signed\/[^\s,"]+/g)
      ?.find((url) => url.includes(key));
    expect(link).toBeDefined();
    const opened = await fetch(link as string);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PNG);

    const tampered = (link as string).replace(/signature=[^&]+/, 'signature=forged');
    expect((await fetch(tampered)).status).toBe(404);

    // Outliving the link is the behaviour under test.
    await new Promise((resolve) => setTimeout(resolve, LINK_TTL_MS + 1100));
    const late = await fetch(link as string);
    expect(late.status).toBe(410);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });

  it('refuses a file over the limit, or of a type WhatsApp does not send, and stores nothing', async () => {
    const session = await editor.call('post', '/simulator/sessions', {
      flowId,
      contact: { phone: '+14155559991' },
    });
    await editor.call('post', `/simulator/sessions/${session.body.id}/messages`, { text: 'hi' });
    const before = await storage.keys();
    const big = await editor.call('post', `/simulator/sessions/${session.body.id}/files`, {
      name: 'big.png',
      mimeType: 'image/png',
      data: Buffer.alloc(MAX_BYTES + 1).toString('base64'),
    });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toMatch(/larger than .* MB, the most that can be sent/);
    const huge = await editor.call('post', `/simulator/sessions/${session.body.id}/files`, {
      name: 'huge.png',
      mimeType: 'image/png',
      data: Buffer.alloc(MAX_BYTES * 4).toString('base64'),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toMatch(/larger than .* MB/);
    const html = await editor.call('post', `/simulator/sessions/${session.body.id}/files`, {
      name: 'page.html',
      mimeType: 'text/html',
      data: Buffer.from('<h1>hi</h1>').toString('base64'),
    });
    expect(html.status).toBe(422);
    expect(html.body.error.message).toMatch(/cannot be sent/);
    expect(await storage.keys()).toEqual(before);
  });

  it('deletes a contact’s files when the contact is erased', async () => {
    const { key, phone } = await answerWithPhoto();
    expect(await storage.keys()).toContain(key);
    const erased = await api.admin.call('delete', `/contacts/${encodeURIComponent(phone)}`);
    expect(erased.status).toBe(200);
    expect(await storage.keys()).not.toContain(key);
    expect((await viewer.call('get', `/media/${key}`)).status).toBe(404);
  });

  it('deletes the files of conversations past the retention period', async () => {
    const { key, phone } = await answerWithPhoto();
    const kept = await answerWithPhoto();
    await api.db.query(`update conversations set ended_at = now() - interval '40 days' where contact = $1`, [
      phone,
    ]);
    expect((await api.admin.call('put', '/workspace/retention', { retentionDays: 30 })).status).toBe(200);
    await api.api.runRetention();
    const left = await storage.keys();
    expect(left).not.toContain(key);
    expect(left).toContain(kept.key);
    expect((await api.admin.call('put', '/workspace/retention', { retentionDays: null })).status).toBe(200);
  });
});
