import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeLeftovers, replaceDirAtomic, writeFileAtomic } from './atomic-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces a file', async () => {
    const path = join(dir, 'a', 'marker.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(join(dir, 'a'))).toEqual(['marker.json']);
  });

  it('leaves the old content whole when the process "crashes" before the rename', async () => {
    const path = join(dir, 'marker.json');
    await writeFileAtomic(path, 'old content');
    const crash = writeFileAtomic(path, 'new content that never lands', {
      hooks: {
        beforeRename: () => {
          throw new Error('simulated crash');
        },
      },
    });
    await expect(crash).rejects.toThrow('simulated crash');
    expect(await readFile(path, 'utf8')).toBe('old content');
    expect(await readdir(dir)).toEqual(['marker.json']);
  });
});

describe('replaceDirAtomic', () => {
  it('swaps a rebuilt directory in', async () => {
    const target = join(dir, 'profile');
    await replaceDirAtomic(target, (fresh) => writeFile(join(fresh, 'f'), '1'));
    await replaceDirAtomic(target, (fresh) => writeFile(join(fresh, 'g'), '2'));
    expect(await readdir(target)).toEqual(['g']);
    expect(await readdir(dir)).toEqual(['profile']);
  });

  it('keeps the old directory when filling the new one fails midway', async () => {
    const target = join(dir, 'profile');
    await replaceDirAtomic(target, (fresh) => writeFile(join(fresh, 'f'), 'good'));
    await expect(
      replaceDirAtomic(target, async (fresh) => {
        await writeFile(join(fresh, 'half'), 'x');
        throw new Error('simulated crash while unpacking');
      }),
    ).rejects.toThrow('simulated crash');
    expect(await readFile(join(target, 'f'), 'utf8')).toBe('good');
    expect(await readdir(dir)).toEqual(['profile']);
  });

  it('clears what a killed process left beside the target', async () => {
    const target = join(dir, 'profile');
    await writeFile(join(dir, '.profile.new-1-ab'), 'half');
    await writeFile(join(dir, 'other'), 'keep');
    await removeLeftovers(target);
    expect(await readdir(dir)).toEqual(['other']);
  });
});
