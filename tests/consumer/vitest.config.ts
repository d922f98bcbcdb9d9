import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Installs run npm and pnpm against the registry (warm caches make them seconds); each step bounds its
    // own process below this and says which step did not end.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
