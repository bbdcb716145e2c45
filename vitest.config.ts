import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared-schemas,runtime,admin-api,admin-ui}/src/**/*.test.ts', 'runtime/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
