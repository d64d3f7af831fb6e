import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The real model is loaded by several files; run them one at a time on 2 cores.
    fileParallelism: false,
  },
});
