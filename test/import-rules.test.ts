import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm run lint` runs dependency-cruiser with .dependency-cruiser.cjs. Each case writes a file with a
 * forbidden import into a guarded folder and expects the linter to refuse it by the rule's name, so
 * that a rule that silently stopped matching (a renamed folder, a resolution change) fails here.
 */
const root = join(import.meta.dirname, '..');
const probes: string[] = [];

function cruise(relativePath: string, source: string): { status: number | null; output: string } {
  const path = join(root, relativePath);
  probes.push(path);
  writeFileSync(path, source);
  const result = spawnSync(
    join(root, 'node_modules/.bin/depcruise'),
    ['--config', '.dependency-cruiser.cjs', relativePath],
    { cwd: root, encoding: 'utf8' },
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

afterEach(() => {
  for (const path of probes.splice(0)) rmSync(path, { force: true });
});

const probe = `import-rule-probe-${process.pid}`;

describe('import rules', () => {
  it.each([
    ['engine/src', `import { readFileSync } from 'node:fs';`, 'pure-packages-no-io'],
    ['shared-schemas/src', `import { readFileSync } from 'node:fs';`, 'pure-packages-no-io'],
    ['engine/src', `import pg from 'pg';`, 'pure-packages-no-io-libraries'],
    ['shared-schemas/src', `import type { Db } from '@parley/db';`, 'pure-packages-no-io-libraries'],
    ['engine/src', `import { Redis } from 'ioredis';`, 'pure-packages-no-io-libraries'],
    ['ai/src', `import type { Db } from '@parley/db';`, 'ai-no-database'],
    ['ai/src', `import pg from 'pg';`, 'ai-no-database'],
    [
      'admin-ui/src/features/flows',
      `import { InvitationsPage } from '@/features/invitations';`,
      'ui-features-independent',
    ],
    [
      'runtime/src/service/channels/whatsapp',
      `import type { Client } from 'whatsapp-web.js';`,
      'whatsapp-web-behind-wrapper',
    ],
    ['admin-api/src', `import type { RuntimeService } from '@parley/runtime';`, 'api-not-runtime'],
    ['runtime/src/service', `import type { ApiContext } from '@parley/admin-api';`, 'runtime-not-api'],
  ])('refuses in %s: %s', (folder, line, rule) => {
    const { status, output } = cruise(`${folder}/${probe}.ts`, `${line}\nexport type Probe = unknown;\n`);
    expect(output).toContain(rule);
    expect(status).not.toBe(0);
  });

  it('lets tests of the pure packages read fixture files, and a feature import its own modules', () => {
    const test = cruise(`engine/src/${probe}.test.ts`, `import { readFileSync } from 'node:fs';\n`);
    expect(test.output).toContain('no dependency violations');
    expect(test.status).toBe(0);
    const own = cruise(
      `admin-ui/src/features/invitations/${probe}.ts`,
      `import { InvitationsBanner } from './InvitationsBanner';\n`,
    );
    expect(own.output).toContain('no dependency violations');
    expect(own.status).toBe(0);
  });
});
