import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clearOrphans,
  kilobytesField,
  parentPidOfStat,
  processesUsingProfile,
  processTree,
  treeMemory,
  usesProfile,
} from './browser-processes.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-procs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parsing /proc', () => {
  it('reads the parent pid even when the command has spaces and parentheses', () => {
    expect(parentPidOfStat('1234 (chrome (renderer)) S 77 1234 1234 0 -1')).toBe(77);
  });
  it('reads kB fields as bytes', () => {
    expect(kilobytesField('Rss:   2048 kB\nPss:    1024 kB\n', 'Pss')).toBe(1024 * 1024);
    expect(kilobytesField('nothing', 'Pss')).toBeNull();
  });
  it('matches the exact profile flag', () => {
    expect(usesProfile('/usr/bin/chromium\0--user-data-dir=/p/session-a\0', '/p/session-a')).toBe(true);
    expect(usesProfile('/usr/bin/chromium\0--user-data-dir=/p/session-ab\0', '/p/session-a')).toBe(false);
  });
});

describe('process trees', () => {
  it.skipIf(process.platform !== 'linux')('measures a tree (PSS ≤ RSS) and finds its children', async () => {
    const child = spawn('sleep', ['30']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await processTree(process.pid)).toContain(child.pid);
      const memory = await treeMemory(process.pid);
      expect(memory?.processes).toBeGreaterThanOrEqual(2);
      expect(memory?.pssBytes).toBeGreaterThan(0);
      expect(memory?.pssBytes).toBeLessThanOrEqual(memory?.rssBytes ?? 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it.skipIf(process.platform !== 'linux')(
    'kills what still holds a profile and clears its locks',
    async () => {
      const profile = join(dir, 'session-x');
      // A stand-in for an orphaned browser: a process whose command line names the profile.
      const orphan = spawn('bash', ['-c', 'sleep 30; true', `--user-data-dir=${profile}`], {
        detached: true,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writeFile(join(dir, 'keep'), '');
      expect(await processesUsingProfile(profile)).toContain(orphan.pid);
      const exited = new Promise((resolve) => orphan.on('exit', resolve));
      expect(await clearOrphans(profile)).toBe(1);
      await exited;
      expect(await processesUsingProfile(profile)).toEqual([]);
    },
  );
});
