/** `parley test` given folders, through the built CLI (`npm run build` first). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const RUNTIME = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../../cli/bin/parley.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'parley-cli-folders-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function parleyTest(...paths: string[]) {
  return spawnSync(process.execPath, [BIN, 'test', ...paths], { encoding: 'utf8', timeout: 60_000 });
}

describe('parley test with folders', () => {
  it('runs every .json scenario in a folder, in name order', () => {
    const folder = join(tmp, 'scenarios');
    mkdirSync(folder);
    for (const name of ['numbers-by-locale.json', 'dates-day-first.json']) {
      copyFileSync(join(RUNTIME, 'test', 'scenarios', name), join(folder, name));
    }
    const result = parleyTest(folder);
    expect(result.stdout).toBe('✓ dates-day-first.json\n✓ numbers-by-locale.json\n2 passed, 0 failed\n');
    expect(result.status).toBe(0);
  });

  it('fails on a folder with no scenario, instead of passing by running nothing', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const result = parleyTest(empty);
    expect(result.stdout).toContain(`✗ ${empty}: no scenario (.json) files in this folder`);
    expect(result.stdout).toContain('0 passed, 1 failed');
    expect(result.status).toBe(1);
  });
});

describe('parley validate given a scenario', () => {
  it('says to run parley test instead of listing the scenario’s fields as flow problems', () => {
    const result = spawnSync(
      process.execPath,
      [BIN, 'validate', join(RUNTIME, 'test', 'scenarios', 'greeting.json')],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(result.stdout).toBe(
      'This is a scenario (a flow with a scripted conversation): run `parley test` on it.\n',
    );
    expect(result.status).toBe(1);
  });
});
