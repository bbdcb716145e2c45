import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseMediaKey } from './media-keys.js';
import type { MediaStore, StoredMedia } from './media-store.js';

/**
 * Files in a folder (PARLEY_DATA_DIR/media by default; a shared volume in compose, so the API
 * serves what a runtime stored). Each file has a `<file>.type` beside it with its MIME type.
 */
export class LocalMediaStore implements MediaStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    // Only well-formed keys reach the disk: no `..`, no absolute paths.
    if (parseMediaKey(key) === null) throw new Error(`Not a media key: ${key}`);
    return join(this.root, key);
  }

  async put(key: string, bytes: Buffer, mimeType: string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.type`, mimeType, { mode: 0o640 });
    // Written under a temporary name and renamed, so a reader never sees half a file.
    await writeFile(`${path}.part`, bytes, { mode: 0o640 });
    await rename(`${path}.part`, path);
  }

  async get(key: string): Promise<StoredMedia | null> {
    if (parseMediaKey(key) === null) return null;
    const path = this.pathOf(key);
    try {
      const [info, mimeType] = await Promise.all([stat(path), readFile(`${path}.type`, 'utf8')]);
      return { body: createReadStream(path), mimeType: mimeType.trim(), size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      if (parseMediaKey(key) === null) continue;
      const path = this.pathOf(key);
      await rm(path, { force: true });
      await rm(`${path}.type`, { force: true });
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    // Prefixes are a workspace's or a contact's folder: `<uuid>/` or `<uuid>/<hash>/`.
    if (!/^[0-9a-f-]{36}\/([0-9a-f]{32}\/)?$/.test(prefix)) throw new Error(`Not a media prefix: ${prefix}`);
    const folder = join(this.root, prefix);
    const count = await countFiles(folder);
    await rm(folder, { recursive: true, force: true });
    return count;
  }
}

async function countFiles(folder: string): Promise<number> {
  try {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile() && !entry.name.endsWith('.type')).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
