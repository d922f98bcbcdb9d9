import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FakeApiServer } from '@kubeinformers/testing';
import { x } from 'tinyexec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncAndWatchResult } from './sync-and-watch.js';

// Core claims Node, Deno and Bun. Each runtime here imports the same module (src/sync-and-watch.ts, core
// plus a fetch transport and nothing else), syncs config maps from a fake API server in this process,
// creates one and waits for the watch to deliver it, then must exit on its own: a socket or timer left
// behind would keep it alive until the bound below kills it, which fails the case.

const packageDirectory = fileURLToPath(new URL('../', import.meta.url));
/** How long a runtime may take from start to its own exit. */
const exitBoundMs = 45_000;

interface Runtime {
  readonly name: string;
  /** The binary, or undefined when this machine has none. */
  readonly binary: string | undefined;
  /** Arguments that evaluate an ES module given as text, with network and environment access. */
  readonly evaluate: (source: string) => readonly string[];
}

/** A runtime from `pnpm provision` (an npm install into `.runtimes/`) or else from PATH. */
function findBinary(name: string): string | undefined {
  const provisioned = fileURLToPath(new URL(`../.runtimes/node_modules/.bin/${name}`, import.meta.url));
  if (existsSync(provisioned)) return provisioned;
  for (const directory of (process.env.PATH ?? '').split(':')) {
    if (directory !== '' && existsSync(`${directory}/${name}`)) return `${directory}/${name}`;
  }
  return undefined;
}

const runtimes: readonly Runtime[] = [
  {
    name: 'node',
    binary: process.execPath,
    evaluate: (source) => ['--input-type=module', '--eval', source],
  },
  { name: 'deno', binary: findBinary('deno'), evaluate: (source) => ['eval', source] },
  { name: 'bun', binary: findBinary('bun'), evaluate: (source) => ['--eval', source] },
];

for (const runtime of runtimes) {
  if (runtime.binary === undefined) {
    console.warn(
      `\n!!! ${runtime.name} is not installed: its runtime test is SKIPPED. Run \`pnpm --filter @kubeinformers/runtime-tests provision\` (an npm install of deno and bun into tests/runtimes/.runtimes) or put ${runtime.name} on PATH.\n`,
    );
  }
}

let server: FakeApiServer;
beforeAll(async () => {
  server = await FakeApiServer.start({ seed: 'demo' });
});
afterAll(() => server.close());

describe.each(runtimes)('$name', (runtime) => {
  it.skipIf(runtime.binary === undefined)(
    'syncs and watches through fetch, then exits by itself',
    async () => {
      // A namespace per runtime, holding one config map before the sync and one created after it.
      const namespace = runtime.name;
      server.store.create('namespaces', { metadata: { name: namespace } });
      server.store.create('configmaps', {
        metadata: { namespace, name: 'before-sync' },
        data: { listed: 'yes' },
      });
      const name = `seen-by-${runtime.name}`;
      const source = [
        `import { syncAndWatch } from './src/sync-and-watch.ts';`,
        `const result = await syncAndWatch(${JSON.stringify(server.url)}, { namespace: ${JSON.stringify(namespace)}, name: ${JSON.stringify(name)} });`,
        'console.log(JSON.stringify(result));',
      ].join('\n');
      const started = performance.now();
      const run = x(runtime.binary ?? '', runtime.evaluate(source), {
        timeout: exitBoundMs,
        throwOnError: false,
        nodeOptions: { cwd: packageDirectory, env: { ...process.env, NO_COLOR: '1' } },
      });
      const output = await run;
      const elapsedMs = Math.round(performance.now() - started);
      expect(run.killed, `${runtime.name} still running after ${exitBoundMs} ms: ${output.stderr}`).toBe(
        false,
      );
      expect(output.exitCode, output.stderr).toBe(0);

      const result = JSON.parse(output.stdout.trim().split('\n').at(-1) ?? '') as SyncAndWatchResult;
      expect(result.syncedKeys).toEqual([`${namespace}/before-sync`]);
      expect(result.watchedKey).toBe(`${namespace}/${name}`);
      expect(result.watchedData).toEqual({ runtime: 'seen' });
      expect(server.store.get('configmaps', `${namespace}/${name}`)).toBeDefined();
      console.log(`${runtime.name}: synced, watched a creation and exited by itself in ${elapsedMs} ms`);
    },
  );
});
