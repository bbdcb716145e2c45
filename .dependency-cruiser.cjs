// Import rules between the packages and folders, checked by `npm run lint` (depcruise).
// Each rule names what it protects; test/import-rules.test.ts proves that each one fails on a
// deliberate forbidden import.

/** Tests and their fixtures: they may read files and generate inputs, the shipped code may not. */
const TEST_FILES = '\\.test\\.tsx?$|/__fixtures__/|/fixtures/';

module.exports = {
  forbidden: [
    {
      name: 'pure-packages-no-io',
      comment:
        'The engine and the schemas are pure (they run in the browser, the CLI and the service): no ' +
        'node:* module, database, Redis, HTTP or WhatsApp library. Their tests and fixtures may use ' +
        'node:* (reading fixture files) and fast-check.',
      severity: 'error',
      from: { path: '^(engine|shared-schemas)/src/', pathNot: TEST_FILES },
      to: {
        dependencyTypes: ['core'],
      },
    },
    {
      name: 'pure-packages-no-io-libraries',
      comment: 'See pure-packages-no-io: the I/O libraries and the packages built on them.',
      severity: 'error',
      from: { path: '^(engine|shared-schemas)/' },
      to: {
        path: [
          '(^|/)node_modules/(pg|pg-[^/]+|@electric-sql/pglite|ioredis|express|undici|whatsapp-web\\.js|puppeteer|puppeteer-core)/',
          '^@parley/(db|bus|runtime|admin-api)$',
          '^(db|bus|runtime|admin-api)/',
        ],
      },
    },
    {
      name: 'ai-no-database',
      comment:
        'The model gateway holds no database or bus code: the API and the runtime store credentials ' +
        'and usage, and hand the gateway a provider config and a fetch.',
      severity: 'error',
      from: { path: '^ai/src/' },
      to: {
        path: [
          '(^|/)node_modules/(pg|pg-[^/]+|@electric-sql/pglite|ioredis)/',
          '^@parley/(db|bus|runtime|admin-api)$',
          '^(db|bus|runtime|admin-api)/',
        ],
      },
    },
    {
      name: 'ui-features-independent',
      comment:
        'An admin-ui feature does not import another feature: what two features share belongs in ' +
        'components/, core/ or infrastructure/, and app/ composes the features.',
      severity: 'error',
      from: { path: '^admin-ui/src/features/([^/]+)/' },
      to: { path: '^admin-ui/src/features/', pathNot: '^admin-ui/src/features/$1/' },
    },
    {
      name: 'whatsapp-web-behind-wrapper',
      comment:
        'Only the client wrapper (wa-client.ts) imports whatsapp-web.js, types included, so that a ' +
        'library upgrade touches one file. The stand-in tests drive the library itself and may import it.',
      severity: 'error',
      from: {
        pathNot: [
          '^runtime/src/service/channels/whatsapp/wa-client\\.ts$',
          '^runtime/test/whatsapp-standin/',
        ],
      },
      to: { path: ['(^|/)node_modules/whatsapp-web\\.js/', '^whatsapp-web\\.js$'] },
    },
    {
      name: 'api-not-runtime',
      comment:
        'The API and the runtime talk over the bus and HTTP, never by import. admin-api/test may ' +
        'import @parley/runtime: its integration tests start a runtime next to the API.',
      severity: 'error',
      from: { path: '^admin-api/', pathNot: '^admin-api/test/' },
      to: { path: ['^runtime/', '^@parley/runtime$'] },
    },
    {
      name: 'runtime-not-api',
      comment: 'See api-not-runtime: the runtime never imports the API, tests included.',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: ['^admin-api/', '^@parley/admin-api$'] },
    },
  ],
  options: {
    // Libraries and the other packages' build output are leaves: their own imports are not ours.
    doNotFollow: { path: ['(^|/)node_modules/', '^[^/]+/dist/'] },
    // Type-only imports count: a type from a forbidden module is still a dependency on it.
    tsPreCompilationDeps: true,
    // For the admin-ui `@/` alias; the other packages use relative paths and package names.
    tsConfig: { fileName: 'admin-ui/tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
