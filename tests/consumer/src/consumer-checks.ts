import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { repositoryRoot } from './packed-packages.js';
import { type CommandOutput, describeOutput, type ThrowawayProject } from './throwaway-project.js';

const typecheckTimeoutMs = 150_000;

/** The newest TypeScript and the oldest we support. */
export const typeScriptCompilers = {
  latest: fileURLToPath(new URL('../node_modules/typescript-latest/bin/tsc', import.meta.url)),
  oldest: fileURLToPath(new URL('../node_modules/typescript-oldest/bin/tsc', import.meta.url)),
} as const;

const readmeExamples = join(repositoryRoot, 'apps/demo/src/readme-examples');

/**
 * The README samples whose file names start with one of `prefixes`, copied into a project's `src/`; a
 * sample that is a vitest test gets a `.test.ts` name so that vitest finds it.
 */
export function readmeSamples(
  prefixes: readonly string[],
  only?: (text: string) => boolean,
): Record<string, string> {
  const files = readdirSync(readmeExamples).filter(
    (name) =>
      name.endsWith('.ts') &&
      prefixes.some((prefix) => name.startsWith(prefix)) &&
      (only === undefined || only(readFileSync(join(readmeExamples, name), 'utf8'))),
  );
  return Object.fromEntries(
    files.map((name) => [`src/${name.replace(/-test\.ts$/, '.test.ts')}`, join(readmeExamples, name)]),
  );
}

/** A consumer's strict settings: ES2022, Node's module resolution, and nothing skipped. */
export function strictTsconfig(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      ...extra,
    },
    include: ['src'],
  };
}

/** Runs `tsc -p .` (plus `extraArguments`) in `project`: it must pass and exit. */
export async function expectTypechecks(
  project: ThrowawayProject,
  tsc: string,
  ...extraArguments: string[]
): Promise<void> {
  expectExitedCleanly(
    await project.run(process.execPath, [tsc, '-p', '.', ...extraArguments], typecheckTimeoutMs),
  );
}

export function expectExitedCleanly(output: CommandOutput): void {
  expect(output.killed, describeOutput(output)).toBe(false);
  expect(output.exitCode, describeOutput(output)).toBe(0);
}
