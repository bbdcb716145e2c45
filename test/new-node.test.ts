import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run new:node` in a copy of the repository (its own packages, the real dependencies): the
 * type it scaffolds must build, pass its generated test and scenario, and bad names are refused.
 */

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const SKIPPED = new Set(['node_modules', '.git', 'screenshots']);
let copy: string;

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: copy, encoding: 'utf8', timeout: 240_000 });
}

function expectOk(result: SpawnSyncReturns<string>): void {
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}

beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'parley-new-node-'));
  cpSync(root, copy, { recursive: true, filter: (source) => !SKIPPED.has(path.basename(source)) });
  // The dependencies are shared; the workspace packages resolve to the copy's own folders.
  mkdirSync(path.join(copy, 'node_modules'));
  for (const entry of readdirSync(path.join(root, 'node_modules'))) {
    if (entry !== '@parley') {
      symlinkSync(path.join(root, 'node_modules', entry), path.join(copy, 'node_modules', entry));
    }
  }
  cpSync(path.join(root, 'node_modules', '@parley'), path.join(copy, 'node_modules', '@parley'), {
    recursive: true,
    verbatimSymlinks: true,
  });
});

afterAll(() => {
  if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
});

describe('npm run new:node', () => {
  it('refuses a bad, reserved or existing type name', () => {
    for (const [name, reason] of <[string, string][]>[
      ['Send-Sticker', 'is not a node type name'],
      ['trigger', 'is reserved'],
      ['question', 'already exists'],
    ]) {
      const result = run('node', ['scripts/new-node.mjs', name]);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(reason);
    }
  });

  it('scaffolds a node type that builds and passes its test and scenario', () => {
    expectOk(run('node', ['scripts/new-node.mjs', 'send_sticker']));
    expect(readFileSync(path.join(copy, 'docs/flow-format.md'), 'utf8')).toContain('`send_sticker`');
    expectOk(run('npx', ['tsc', '-b', 'shared-schemas', 'engine', 'runtime']));
    expectOk(run('npx', ['tsc', '--noEmit', '-p', 'admin-ui']));
    expectOk(run('npx', ['vitest', 'run', 'engine/src/nodes/send-sticker.test.ts']));
    expectOk(run('node', ['cli/bin/parley.js', 'test', 'runtime/test/scenarios/node-send-sticker.json']));
    expectOk(
      run('npx', ['biome', 'check', 'shared-schemas/src', 'engine/src', 'admin-ui/src/features/editor']),
    );
  }, 600_000);
});
