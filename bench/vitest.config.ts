import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The smoke run starts real networks: one file at a time on two cores.
    fileParallelism: false,
  },
});
