import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own PGlite; two workers keep a 2-core machine busy without thrashing.
    pool: 'forks',
    maxWorkers: 2,
  },
});
