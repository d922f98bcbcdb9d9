import { defineConfig } from 'vitest/config';

const minutes = Number(process.env.KI_SOAK_MINUTES ?? 30);

/** `pnpm soak`: one long run in a forked process whose heap can be collected on demand. */
export default defineConfig({
  test: {
    include: ['src/soak/soak.longrun.ts'],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: (minutes + 5) * 60_000,
  },
});
