import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestS3 } from '../testing.js';
import { LocalMediaStore } from './local-media-store.js';
import { contactMediaPrefix, downloadName, mediaKey, mediaKeyOfUrl, parseMediaKey } from './media-keys.js';
import type { MediaStore } from './media-store.js';

const workspace = randomUUID();

function contract(name: string, open: () => Promise<{ store: MediaStore; keys: () => Promise<string[]> }>) {
  describe(name, () => {
    let store: MediaStore;
    let keys: () => Promise<string[]>;
    beforeAll(async () => {
      ({ store, keys } = await open());
    });

    it('stores, reads back with its type and size, and deletes a file', async () => {
      const key = mediaKey(workspace, '+15550100001', 'receipt.pdf');
      await store.put(key, Buffer.from('%PDF-1.4 hello'), 'application/pdf');
      const stored = await store.get(key);
      expect(stored?.mimeType).toBe('application/pdf');
      expect(stored?.size).toBe(14);
      expect(await text(stored?.body as NodeJS.ReadableStream)).toBe('%PDF-1.4 hello');
      await store.delete([key]);
      expect(await store.get(key)).toBeNull();
    });

    it('deletes one contact’s files by prefix and leaves the others', async () => {
      const mine = [
        mediaKey(workspace, '+15550100002', 'a.jpg'),
        mediaKey(workspace, '+15550100002', 'b.jpg'),
      ];
      const theirs = mediaKey(workspace, '+15550100003', 'c.jpg');
      for (const key of [...mine, theirs]) await store.put(key, Buffer.from('x'), 'image/jpeg');
      expect(await store.deletePrefix(contactMediaPrefix(workspace, '+15550100002'))).toBe(2);
      const left = await keys();
      expect(left).toContain(theirs);
      for (const key of mine) expect(left).not.toContain(key);
    });

    it('answers null for a key that holds nothing', async () => {
      expect(await store.get(mediaKey(workspace, '+15550100004', 'none.png'))).toBeNull();
    });
  });
}

describe('media stores', () => {
  let folder: string;
  let s3: Awaited<ReturnType<typeof createTestS3>>;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'parley-media-'));
    s3 = await createTestS3();
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await s3?.close();
  });

  contract('a local folder', async () => ({
    store: new LocalMediaStore(folder),
    keys: async () =>
      (await readdir(folder, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile() && !entry.name.endsWith('.type'))
        .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1)),
  }));
  contract('S3-compatible storage (s3rver)', async () => ({ store: s3.store, keys: s3.keys }));
});

describe('media keys', () => {
  it('scope a file by workspace and contact, with a safe name', () => {
    const key = mediaKey(workspace, '+15550100001', '../../etc/pass wd.txt');
    expect(parseMediaKey(key)?.workspaceId).toBe(workspace);
    expect(key.startsWith(contactMediaPrefix(workspace, '+15550100001'))).toBe(true);
    expect(downloadName(key)).toBe('etc_pass_wd.txt');
    expect(key).not.toContain('+1555');
  });

  it('read parley-media urls and refuse anything else (old file:// answers too)', async () => {
    const key = mediaKey(workspace, '+15550100001', 'a.jpg');
    expect(mediaKeyOfUrl(`parley-media://${key}`)).toBe(key);
    expect(mediaKeyOfUrl('file:///data/media/n1/a.jpg')).toBeNull();
    expect(mediaKeyOfUrl(`parley-media://${workspace}/../../x`)).toBeNull();
    await expect(new LocalMediaStore('/tmp/x').get('../../etc/passwd')).resolves.toBeNull();
  });
});
