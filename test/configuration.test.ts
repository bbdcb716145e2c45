import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { parseEnvExample, renderConfiguration } from '../docs/configuration.mjs';

const root = join(import.meta.dirname, '..');
const SOURCE_DIRS = ['shared-schemas/src', 'engine/src', 'db/src', 'bus/src', 'runtime/src', 'admin-api/src'];
// Read by test harnesses only, not settings of the product.
const NOT_SETTINGS = new Set(['VITEST', 'FUZZ_SCALE', 'FUZZ_SEED', 'CI']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Environment variables the product's code reads. */
function settingsReadByCode(): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /\benv\.([A-Z][A-Z0-9_]{2,})\b/g,
    /\benv\[['"]([A-Z][A-Z0-9_]{2,})['"]\]/g,
    /\(env, '([A-Z][A-Z0-9_]{2,})'/g,
  ];
  for (const file of [
    ...SOURCE_DIRS.flatMap((dir) => sourceFiles(join(root, dir))),
    join(root, 'start.mjs'),
  ]) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.add(match[1] as string);
  }
  for (const name of NOT_SETTINGS) found.delete(name);
  return found;
}

describe('configuration reference', () => {
  const example = readFileSync(join(root, '.env.example'), 'utf8');
  const sections = parseEnvExample(example) as { settings: { name: string }[] }[];
  const documented = new Set(sections.flatMap((section) => section.settings.map((setting) => setting.name)));

  it('lists in .env.example every setting the code reads', () => {
    const missing = [...settingsReadByCode()].filter((name) => !documented.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it('has docs/configuration.md generated from the current .env.example', () => {
    expect(readFileSync(join(root, 'docs/configuration.md'), 'utf8')).toBe(renderConfiguration(sections));
  });
});
