import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Real processes on real time: the CI profile runs a few minutes of scenarios.
    testTimeout: 600_000,
  },
});
