import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUse, lockDataDir } from '../src/data-dir-lock.js';
import { createPgliteDb } from '../src/pglite-db.js';

const folders: string[] = [];
async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-lock-'));
  folders.push(dir);
  return join(dir, 'pglite');
}
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A process id that is not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('the embedded database folder is held by one process', () => {
  it('refuses a second opener while the first is open, and lets it in once closed', async () => {
    const dir = await folder();
    const first = await createPgliteDb(dir);
    await first.query('select 1');
    const second = createPgliteDb(dir);
    await expect(second).rejects.toBeInstanceOf(DataDirInUse);
    await expect(second).rejects.toThrow(/in use by another running Parley .*Stop that Parley first/);
    // The refused opener changed nothing: the first still works.
    await expect(first.query('select 2 as two')).resolves.toMatchObject({ rows: [{ two: 2 }] });
    await first.close();
    const third = await createPgliteDb(dir);
    await third.close();
  });

  it('takes over a folder whose holder died without letting go', async () => {
    const dir = await folder();
    await writeFile(`${dir}.lock`, JSON.stringify({ pid: await deadPid(), host: hostname() }));
    const release = await lockDataDir(dir);
    expect(JSON.parse(await readFile(`${dir}.lock`, 'utf8'))).toEqual({ pid: process.pid, host: hostname() });
    await release();
    await expect(readFile(`${dir}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes over an empty lock file left by a crash mid-write', async () => {
    const dir = await folder();
    await writeFile(`${dir}.lock`, '');
    const release = await lockDataDir(dir);
    await release();
  });

  it('refuses a folder held by a live process, naming it', async () => {
    const dir = await folder();
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      await writeFile(`${dir}.lock`, JSON.stringify({ pid: child.pid, host: hostname() }));
      await expect(lockDataDir(dir)).rejects.toThrow(`process ${child.pid}`);
    } finally {
      child.kill();
    }
  });
});
