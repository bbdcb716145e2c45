import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Four tiers: `unit` needs no build and no service; `integration` needs the build, Postgres and
 * Redis (and starts local processes); `browser` drives the built admin UI in Chromium; `e2e` runs
 * the whole product, WhatsApp included, against the local WhatsApp Web stand-in.
 *
 * The unit tier imports the workspace packages from their sources, so it runs without a build;
 * the other tiers import their dist/ as the product does (npm test builds first).
 */
const fromSources = [
  { find: /^@parley\/schemas$/, replacement: here('./shared-schemas/src/index.ts') },
  {
    find: /^@parley\/schemas\/turn-note$/,
    replacement: here('./shared-schemas/src/conversation/turn-note.ts'),
  },
  {
    find: /^@parley\/schemas\/scenario$/,
    replacement: here('./shared-schemas/src/scenario/scenario.ts'),
  },
  {
    find: /^@parley\/schemas\/conversation-status$/,
    replacement: here('./shared-schemas/src/conversation/status.ts'),
  },
  { find: /^@parley\/contract$/, replacement: here('./contract/src/index.ts') },
  { find: /^@parley\/engine$/, replacement: here('./engine/src/index.ts') },
  { find: /^@parley\/db$/, replacement: here('./db/src/index.ts') },
  { find: /^@parley\/bus$/, replacement: here('./bus/src/index.ts') },
  { find: /^@parley\/ai$/, replacement: here('./ai/src/index.ts') },
  { find: /^@\//, replacement: here('./admin-ui/src/') },
];

/** Tiers that talk to Postgres and Redis check first that both answer. */
const needsServices = ['test/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        resolve: { alias: fromSources },
        test: {
          name: 'unit',
          // Tiers run one after another (a tier with its own maxWorkers needs its own group).
          sequence: { groupOrder: 0 },
          // Files share a worker's modules instead of importing them afresh: a quarter of the time.
          // Unit tests keep no global state (they restore timers and the environment they change).
          isolate: false,
          include: [
            '{shared-schemas,contract,engine,db,bus,ai,runtime,admin-api,admin-ui}/src/**/*.test.ts',
            'test/{configuration,test-tiers,sql-in-repositories}.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Mostly waiting on Postgres, Redis and child processes: two files at a time use a
          // two-core machine better than one (the tier took about 1.5 times less).
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          // The codebase checks (import rules, node types, the scaffolder) need no service but take a
          // while: they build or cruise the whole tree.
          include: [
            '{db,bus,ai,runtime,admin-api}/test/**/*.test.ts',
            'test/{contract-enums,deploy-files,import-rules,node-types,new-node,prometheus-rules}.test.ts',
          ],
          exclude: [
            ...configDefaults.exclude,
            'runtime/test/whatsapp-*.test.ts',
            'runtime/test/whatsapp-standin/**',
          ],
          globalSetup: needsServices,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['admin-ui/test/**/*.test.ts'],
          globalSetup: needsServices,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 3 },
          include: [
            'runtime/test/whatsapp-*.test.ts',
            'runtime/test/whatsapp-standin/**/*.test.ts',
            'test/{newcomer,public-doors}.test.ts',
          ],
          globalSetup: needsServices,
        },
      },
    ],
  },
});
