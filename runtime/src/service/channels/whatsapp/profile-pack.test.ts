import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasSessionFiles, packProfile, unpackProfile } from './profile-pack.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-pack-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function profile(root: string): Promise<void> {
  const idb = join(root, 'Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb');
  await mkdir(idb, { recursive: true });
  await writeFile(join(idb, 'CURRENT'), 'MANIFEST-000001\n');
  await writeFile(join(idb, '000003.log'), Buffer.from([0, 1, 2, 255]));
  await mkdir(join(root, 'Default', 'Local Storage', 'leveldb'), { recursive: true });
  await writeFile(join(root, 'Default', 'Local Storage', 'leveldb', 'LOG'), 'log');
  await mkdir(join(root, 'Default', 'Cache'), { recursive: true });
  await writeFile(join(root, 'Default', 'Cache', 'big'), 'not a session file');
}

describe('packProfile / unpackProfile', () => {
  it('carries the session folders, and only them, to another folder', async () => {
    const source = join(dir, 'a');
    await profile(source);
    const packed = await packProfile(source);
    expect(packed).not.toBeNull();
    const target = join(dir, 'b');
    expect(await unpackProfile(packed as Buffer, target)).toBe(3);
    expect(await hasSessionFiles(target)).toBe(true);
    const log = join('Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb', '000003.log');
    expect(await readFile(join(target, log))).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(await readdir(join(target, 'Default'))).toEqual(['IndexedDB', 'Local Storage']);
  });

  it('never packs an empty session', async () => {
    expect(await packProfile(join(dir, 'missing'))).toBeNull();
    await mkdir(join(dir, 'empty', 'Default', 'IndexedDB'), { recursive: true });
    await mkdir(join(dir, 'empty', 'Default', 'Cache'), { recursive: true });
    await writeFile(join(dir, 'empty', 'Default', 'Cache', 'x'), 'y');
    expect(await packProfile(join(dir, 'empty'))).toBeNull();
    expect(await hasSessionFiles(join(dir, 'empty'))).toBe(false);
  });

  it('refuses paths that leave the profile', async () => {
    const name = Buffer.from('Default/IndexedDB/../../../evil');
    const header = Buffer.alloc(2 + name.length + 8);
    header.writeUInt16BE(name.length, 0);
    name.copy(header, 2);
    header.writeBigUInt64BE(1n, 2 + name.length);
    const packed = gzipSync(Buffer.concat([Buffer.from('PWP1'), header, Buffer.from('x')]));
    await expect(unpackProfile(packed, join(dir, 't'))).rejects.toThrow(/refusing/);
  });
});
