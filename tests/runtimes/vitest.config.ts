import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Each case starts a runtime process (Deno's and Bun's first start reads their binaries from disk on
    // a shared machine); every wait inside is bounded below this, with a message saying what it waited for.
    testTimeout: 60_000,
  },
});
