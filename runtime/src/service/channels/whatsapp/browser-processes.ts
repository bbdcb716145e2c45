import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

// Chromium is a tree of processes (browser, zygotes, renderers, GPU/utility helpers): its memory
// and its clean-up are about the whole tree. Linux /proc only; elsewhere these report nothing.

/** The parent pid from a /proc/<pid>/stat line (the command may hold spaces and parentheses). */
export function parentPidOfStat(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close === -1) return null;
  const fields = stat
    .slice(close + 2)
    .trim()
    .split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/** Kilobytes on a `Name:   123 kB` line of /proc/<pid>/smaps_rollup or status, in bytes. */
export function kilobytesField(text: string, name: string): number | null {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
  return match === null ? null : Number(match[1]) * 1024;
}

/** Whether a NUL-separated command line runs on the given profile folder. */
export function usesProfile(cmdline: string, profileDir: string): boolean {
  return cmdline.split('\0').some((arg) => arg === `--user-data-dir=${profileDir}`);
}

async function pids(): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number);
}

/** The pid and all its descendants. */
export async function processTree(rootPid: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const pid of await pids()) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    const ppid = stat === null ? null : parentPidOfStat(stat);
    if (ppid !== null) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (tree.includes(pid)) continue;
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface TreeMemory {
  /** Proportional set size: shared pages split between their users (what the tree really costs). */
  pssBytes: number;
  /** Resident set size summed (overcounts shared pages several times over). */
  rssBytes: number;
  processes: number;
}

/** Memory of a process tree: PSS from smaps_rollup, falling back to RSS where PSS is unreadable. */
export async function treeMemory(rootPid: number): Promise<TreeMemory | null> {
  const tree = await processTree(rootPid);
  let pssBytes = 0;
  let rssBytes = 0;
  let processes = 0;
  for (const pid of tree) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
    if (status === null) continue;
    const rss = kilobytesField(status, 'VmRSS') ?? 0;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => null);
    const pss = rollup === null ? null : kilobytesField(rollup, 'Pss');
    rssBytes += rss;
    pssBytes += pss ?? rss;
    processes += 1;
  }
  return processes === 0 ? null : { pssBytes, rssBytes, processes };
}

/** Processes (any owner here) started on a profile folder: orphans of a process that was killed. */
export async function processesUsingProfile(profileDir: string): Promise<number[]> {
  const found: number[] = [];
  for (const pid of await pids()) {
    if (pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
    if (cmdline !== null && usesProfile(cmdline, profileDir)) found.push(pid);
  }
  return found;
}

/**
 * Chromium main processes on any profile under `profilesDir` whose runtime is gone (their parent
 * is not a Node process any more: a SIGKILLed runtime's browsers are re-parented to init). A live
 * runtime sharing the folder keeps its own.
 */
export async function orphanedBrowsers(profilesDir: string): Promise<number[]> {
  const prefix = `--user-data-dir=${profilesDir}/`;
  const found: number[] = [];
  for (const pid of await pids()) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
    if (cmdline === null || !cmdline.split('\0').some((arg) => arg.startsWith(prefix))) continue;
    // Only browser main processes (their helpers carry --type=…); the tree is killed with them.
    if (cmdline.includes('\0--type=')) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    const ppid = stat === null ? null : parentPidOfStat(stat);
    const parent = ppid === null ? null : await readFile(`/proc/${ppid}/cmdline`, 'utf8').catch(() => null);
    if (
      ppid === null ||
      ppid <= 1 ||
      parent === null ||
      !/(^|\/)node(\0|$)/.test(parent.split('\0')[0] ?? '')
    ) {
      found.push(pid);
    }
  }
  return found;
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGKILLs a process tree (a browser we must stop at once, or one that would not close). */
export async function killTree(rootPid: number): Promise<void> {
  const tree = await processTree(rootPid);
  for (const pid of tree) kill(pid, 'SIGKILL');
  const deadline = Date.now() + 2_000;
  while (tree.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Before launching on a profile: kills Chromium processes left on it by a killed runtime (they
 * hold the profile: "The browser is already running for …") and removes Chromium's singleton
 * locks. Returns how many processes were killed.
 */
export async function clearOrphans(profileDir: string): Promise<number> {
  const orphans = await processesUsingProfile(profileDir);
  for (const pid of orphans) await killTree(pid);
  await Promise.all(
    ['SingletonLock', 'SingletonSocket', 'SingletonCookie'].map((name) =>
      rm(join(profileDir, name), { force: true }),
    ),
  );
  return orphans.length;
}
