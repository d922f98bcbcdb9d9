import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['browser-tests/**/*.test.ts', 'server/**/*.test.ts', 'src/**/*.test.ts'],
    // One browser at a time: the machine is small and the responsiveness check must not share its cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
