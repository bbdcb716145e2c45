// Runs the benchmarks: every bench/*.bench.mjs, or those whose name contains one of the arguments
// (`node bench/run.mjs engine`). Each runs in its own node process, so memory figures do not mix.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.mjs'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (benches.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}.`);
  process.exit(1);
}

const failed = [];
for (const file of benches) {
  const started = Date.now();
  console.log(`\n▶ ${file}`);
  // The Node flags the product runs with (docker/Dockerfile's NODE_OPTIONS, package.json's start).
  const flags = ['--expose-gc', '--max-semi-space-size=32'];
  const { status, signal } = spawnSync(process.execPath, [...flags, join(here, file)], {
    stdio: 'inherit',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (status === 0) {
    console.log(`✓ ${file} (${seconds} s)`);
  } else {
    console.log(`✗ ${file} failed (${signal ?? `exit ${status}`}, ${seconds} s)`);
    failed.push(file);
  }
}
if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exit(1);
}
