import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{shared-schemas,engine,db,bus,runtime,admin-api,admin-ui}/src/**/*.test.ts',
      '{runtime,admin-api,admin-ui}/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
