import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';

/** Another running Parley holds the embedded database's folder. */
export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `Parley's data folder ${dir} is in use by another running Parley (process ${pid}). ` +
        'Stop that Parley first, then try again.',
    );
    this.name = 'DataDirInUse';
  }
}

interface Holder {
  pid: number;
  host: string;
}

async function readHolder(file: string): Promise<Holder | null> {
  const text = await readFile(file, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'ENOENT') return null;
    throw cause;
  });
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : null;
  } catch {
    // A holder that died between creating and writing the file leaves it empty: nobody holds it.
    return null;
  }
}

/** Whether the holder may still be running. A process on another machine cannot be checked, so it counts as alive. */
function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded database's folder for this process. PGlite is single-writer and takes no lock
 * of its own: two processes on one folder both succeed and corrupt it. A process id, not a
 * heartbeat, tells a live holder from a dead one, because a long WASM checkpoint blocks the event
 * loop and would make a heartbeat look stale while the holder is still writing. A folder whose
 * holder is gone is taken over. The lock file sits beside the folder (`<dir>.lock`): Postgres wants
 * its own folder to itself. Returns the release.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  const me: Holder = { pid: process.pid, host: hostname() };
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return async () => {
        const holder = await readHolder(file);
        if (holder?.pid === me.pid && holder.host === me.host) await rm(file, { force: true });
      };
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    }
    const holder = await readHolder(file);
    if (holder !== null && isAlive(holder)) throw new DataDirInUse(dir, holder.pid);
    await rm(file, { force: true });
  }
}
