// Runs the long resilience checks, which CI does not: `pnpm test:chaos --seeds N --mutations M`
// (or `--seed S` to replay one seed; `--burst-seeds N` for the fault burst on simulated time) and
// `pnpm soak [--minutes N]`. They are vitest files run with the
// options passed as environment variables, so a replay runs exactly the code CI runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const usage = `usage: test:chaos [--seeds N] [--first-seed S] [--mutations M] [--burst-seeds N] [--first-burst-seed S]
       test:chaos --seed S [--mutations M]
       soak [--minutes N]`;
const [mode, ...rest] = process.argv.slice(2).filter((argument) => argument !== '--');

function positiveInteger(name, text) {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(text)) {
    console.error(`--${name} must be a whole number above 0, got ${JSON.stringify(text)}\n${usage}`);
    process.exit(2);
  }
  return text;
}

let options;
try {
  options = parseArgs({
    args: rest,
    options: {
      seeds: { type: 'string' },
      'first-seed': { type: 'string' },
      seed: { type: 'string' },
      mutations: { type: 'string' },
      'burst-seeds': { type: 'string' },
      'first-burst-seed': { type: 'string' },
      minutes: { type: 'string' },
    },
  }).values;
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}

const env = { ...process.env };
let vitestArguments;
if (mode === 'chaos') {
  const set = (variable, name) => {
    const value = positiveInteger(name, options[name]);
    if (value !== undefined) env[variable] = value;
  };
  set('KI_CHAOS_SEEDS', 'seeds');
  set('KI_CHAOS_FIRST_SEED', 'first-seed');
  set('KI_CHAOS_SEED', 'seed');
  set('KI_CHAOS_MUTATIONS', 'mutations');
  set('KI_BURST_SEEDS', 'burst-seeds');
  set('KI_BURST_FIRST_SEED', 'first-burst-seed');
  vitestArguments = ['run', 'src/chaos/chaos-convergence.test.ts'];
} else if (mode === 'soak') {
  env.KI_SOAK_MINUTES = positiveInteger('minutes', options.minutes) ?? '30';
  vitestArguments = ['run', '--config', 'soak.vitest.config.ts'];
} else {
  console.error(usage);
  process.exit(2);
}

const packageDirectory = fileURLToPath(new URL('.', import.meta.url));
const result = spawnSync('pnpm', ['exec', 'vitest', ...vitestArguments], {
  cwd: packageDirectory,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
