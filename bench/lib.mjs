// Shared helpers of the benchmarks: timing loops, percentiles, the machine, and the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** The p-th percentile (0–100) of some numbers, interpolated between the closest ranks. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function mean(values) {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/** Milliseconds since some fixed point, to the nanosecond. */
export function nowMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Runs `fn` `warmup` times untimed (so the JIT settles), then `runs` times timed, and returns every
 * run's duration in milliseconds with their summary. `fn` gets the run's index.
 */
export function timed(fn, { warmup = 3, runs = 20 } = {}) {
  for (let i = 0; i < warmup; i++) fn(i);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = nowMs();
    fn(i);
    samples.push(nowMs() - start);
  }
  return {
    samples,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    mean: mean(samples),
    min: Math.min(...samples),
  };
}

/** Forces a full garbage collection when node runs with --expose-gc (bench/run.mjs passes it). */
export function collectGarbage() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

export function heapUsedMiB() {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function round(value) {
  if (!Number.isFinite(value)) return value;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 4;
  return Number(value.toFixed(digits));
}

function show(value) {
  return typeof value === 'number' ? round(value).toLocaleString('en-US') : String(value);
}

/**
 * Prints the metrics as a table and writes `bench/results/<name>.json`:
 * `{ name, metrics: { key: { value, unit } }, machine, at }`. `metrics` maps each key to
 * `{ value, unit }` (or `[value, unit]`).
 */
export function report(name, metrics, { title = name, notes = [] } = {}) {
  const rows = Object.entries(metrics).map(([key, metric]) => {
    const [value, unit] = Array.isArray(metric) ? metric : [metric.value, metric.unit];
    return { key, value: round(value), unit: unit ?? '' };
  });
  const table = [['metric', 'value', 'unit'], ...rows.map((row) => [row.key, show(row.value), row.unit])];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((line) => line[column].length)));
  const line = (cells) =>
    `  ${cells[0].padEnd(widths[0])}  ${cells[1].padStart(widths[1])}  ${cells[2].padEnd(widths[2])}`.trimEnd();
  console.log(`\n${title}`);
  console.log(line(table[0]));
  console.log(`  ${'-'.repeat(widths[0])}  ${'-'.repeat(widths[1])}  ${'-'.repeat(widths[2])}`);
  for (const cells of table.slice(1)) console.log(line(cells));
  for (const note of notes) console.log(`  ${note}`);

  const result = {
    name,
    metrics: Object.fromEntries(rows.map((row) => [row.key, { value: row.value, unit: row.unit }])),
    machine: machine(),
    at: new Date().toISOString(),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  → ${file.slice(process.cwd().length + 1) || file}`);
  return result;
}
