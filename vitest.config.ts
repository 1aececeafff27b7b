import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
    // Storage suites share one PostgreSQL server; each test file uses its own schema.
    pool: 'forks',
    globalSetup: ['test/support/temp-dir.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
