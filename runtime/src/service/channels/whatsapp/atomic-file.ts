import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Test hook: runs after the data is written and synced, before the rename (a "crash" throws here). */
export interface AtomicWriteHooks {
  beforeRename?: () => Promise<void> | void;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (handle === null) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/**
 * Replaces a file so that a crash at any point leaves either the old content or the new, never a
 * torn or empty file: write a temp file beside it, fsync it, rename over, fsync the directory.
 */
export async function writeFileAtomic(
  path: string,
  data: Buffer | string,
  options: { mode?: number; hooks?: AtomicWriteHooks } = {},
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'wx', options.mode ?? 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await options.hooks?.beforeRename?.();
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dir);
}

/**
 * Rebuilds a directory out of place and swaps it in: `fill` writes into a fresh sibling, which
 * then replaces `target` by rename. A crash mid-fill leaves `target` as it was (the half-built
 * sibling is cleared by removeLeftovers).
 */
export async function replaceDirAtomic(target: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = join(parent, `.${basename(target)}.new-${suffix}`);
  const old = join(parent, `.${basename(target)}.old-${suffix}`);
  await mkdir(fresh, { recursive: true, mode: 0o700 });
  try {
    await fill(fresh);
  } catch (error) {
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  const hadTarget = await rename(target, old).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await rename(fresh, target);
  await syncDir(parent);
  if (hadTarget) await rm(old, { recursive: true, force: true });
}

/** Clears what an interrupted replaceDirAtomic or writeFileAtomic left beside `target`. */
export async function removeLeftovers(target: string): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  const entries = await readdir(parent).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => entry.startsWith(`.${name}.new-`) || entry.startsWith(`.${name}.old-`))
      .map((entry) => rm(join(parent, entry), { recursive: true, force: true })),
  );
}
