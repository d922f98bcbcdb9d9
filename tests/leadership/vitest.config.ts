import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Real processes on real time; each test sets a bound scaled to its profile.
    testTimeout: 60_000,
  },
});
