/**
 * Every test file runs in exactly one tier, and the unit tier opens no service: checked from the
 * tiers' own include/exclude patterns in vitest.config.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { configDefaults } from 'vitest/config';
import config from '../vitest.config.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Tier {
  name: string;
  include: string[];
  exclude: string[];
}

const tiers: Tier[] = (config.test?.projects ?? []).flatMap((project) =>
  typeof project === 'object' && 'test' in project && project.test?.name !== undefined
    ? [
        {
          name: String(project.test.name),
          include: project.test.include ?? [],
          exclude: project.test.exclude ?? configDefaults.exclude,
        },
      ]
    : [],
);

const filesOf = (tier: Tier) => globSync(tier.include, { cwd: root, ignore: tier.exclude });

/** What a unit test may not import: each opens Postgres, Redis or a browser. */
const SERVICES = [
  /from '(pg|ioredis|playwright-core|puppeteer|whatsapp-web\.js)'/,
  /\bcreateTest(Database|Redis)\b/,
  /\bcreatePgDb\b/,
];

describe('test tiers', () => {
  it('are unit, integration, browser and e2e', () => {
    expect(tiers.map((tier) => tier.name)).toEqual(['unit', 'integration', 'browser', 'e2e']);
  });

  it('put every test file in exactly one tier', () => {
    const all = globSync('**/*.test.ts', { cwd: root, ignore: ['**/node_modules/**', '**/dist/**'] });
    const tiersOf = new Map(all.map((file) => [file, [] as string[]]));
    for (const tier of tiers) for (const file of filesOf(tier)) tiersOf.get(file)?.push(tier.name);
    const misplaced = [...tiersOf].filter(([, names]) => names.length !== 1);
    expect(misplaced).toEqual([]);
    expect(all.length).toBeGreaterThan(100);
  });

  it('keep Postgres, Redis and browsers out of the unit tier', () => {
    const unit = tiers.find((tier) => tier.name === 'unit');
    if (unit === undefined) throw new Error('No unit tier');
    const offenders = filesOf(unit).filter((file) => {
      const source = readFileSync(`${root}${file}`, 'utf8');
      return SERVICES.some((pattern) => pattern.test(source));
    });
    expect(offenders).toEqual([]);
  });
});
