import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The process tests start the demo (a TLS server, 557 pods, two injected faults) on a shared machine;
    // each bounds its own waits below this, so a hang fails with a message saying what it waited for.
    testTimeout: 90_000,
  },
});
