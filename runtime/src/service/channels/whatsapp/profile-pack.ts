import { lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The parts of a Chromium profile that hold a WhatsApp Web login (the same folders whatsapp-web.js's
 * RemoteAuth keeps): the keys live in IndexedDB, a few flags in Local Storage.
 */
export const SESSION_PATHS = ['Default/IndexedDB', 'Default/Local Storage'] as const;

const MAGIC = Buffer.from('PWP1');

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
}

async function listFiles(root: string, relative: string, into: Entry[]): Promise<void> {
  const entries = await readdir(join(root, relative), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    },
  );
  for (const entry of entries) {
    const path = `${relative}/${entry.name}`;
    if (entry.isDirectory()) await listFiles(root, path, into);
    else if (entry.isFile()) {
      const info = await lstat(join(root, path)).catch(() => null);
      if (info !== null) into.push({ path, size: info.size, mtimeMs: info.mtimeMs });
    }
  }
}

async function snapshot(root: string, paths: readonly string[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const path of paths) await listFiles(root, path, entries);
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

const sameListing = (a: Entry[], b: Entry[]) =>
  a.length === b.length &&
  a.every(
    (entry, i) => entry.path === b[i]?.path && entry.size === b[i]?.size && entry.mtimeMs === b[i]?.mtimeMs,
  );

/** Whether a profile folder holds any session files (IndexedDB or Local Storage). */
export async function hasSessionFiles(profileDir: string): Promise<boolean> {
  return (await snapshot(profileDir, SESSION_PATHS)).length > 0;
}

/**
 * Packs the session folders of a profile into one gzipped buffer, or null when there is nothing
 * to pack (never an empty session: restoring one would silently cost a QR scan). Only called for
 * a linked session (after `ready`, or closing a connected browser). Files that
 * change while being read (a live browser compacting its LevelDB) make it read everything again,
 * up to `attempts` times; best taken with the browser closed.
 */
export async function packProfile(
  profileDir: string,
  paths: readonly string[] = SESSION_PATHS,
  attempts = 4,
): Promise<Buffer | null> {
  for (let attempt = 1; ; attempt++) {
    const before = await snapshot(profileDir, paths);
    if (before.length === 0) return null;
    const chunks: Buffer[] = [MAGIC];
    let vanished = false;
    for (const entry of before) {
      const data = await readFile(join(profileDir, entry.path)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (data === null) {
        vanished = true;
        break;
      }
      const name = Buffer.from(entry.path, 'utf8');
      const header = Buffer.alloc(2 + name.length + 8);
      header.writeUInt16BE(name.length, 0);
      name.copy(header, 2);
      header.writeBigUInt64BE(BigInt(data.length), 2 + name.length);
      chunks.push(header, data);
    }
    if (!vanished && sameListing(before, await snapshot(profileDir, paths)))
      return gzipSync(Buffer.concat(chunks));
    if (attempt >= attempts) throw new Error('the session files kept changing while being saved');
  }
}

/** A packed path must stay inside the profile: relative, no `..`, under a session folder. */
function safePath(path: string): string {
  const normal = normalize(path);
  if (
    normal.startsWith('..') ||
    normal.startsWith(sep) ||
    normal.includes(`..${sep}`) ||
    !SESSION_PATHS.some((root) => normal.startsWith(`${normalize(root)}${sep}`))
  ) {
    throw new Error(`refusing to unpack ${JSON.stringify(path)}`);
  }
  return normal;
}

/** Unpacks a buffer made by packProfile into `targetDir`. */
export async function unpackProfile(packed: Buffer, targetDir: string): Promise<number> {
  const data = gunzipSync(packed);
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a packed profile');
  let offset = MAGIC.length;
  let files = 0;
  while (offset < data.length) {
    const nameLength = data.readUInt16BE(offset);
    const path = safePath(data.subarray(offset + 2, offset + 2 + nameLength).toString('utf8'));
    const size = Number(data.readBigUInt64BE(offset + 2 + nameLength));
    const start = offset + 2 + nameLength + 8;
    if (start + size > data.length) throw new Error('truncated packed profile');
    const file = join(targetDir, path);
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, data.subarray(start, start + size), { mode: 0o600 });
    offset = start + size;
    files += 1;
  }
  return files;
}

/** Total bytes of the session folders (for logs). */
export async function sessionBytes(profileDir: string): Promise<number> {
  const entries = await snapshot(profileDir, SESSION_PATHS);
  let total = 0;
  for (const entry of entries)
    total += (await stat(join(profileDir, entry.path)).catch(() => null))?.size ?? 0;
  return total;
}
