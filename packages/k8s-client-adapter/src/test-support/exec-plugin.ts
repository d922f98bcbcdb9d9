import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * An exec credential plugin as a real executable script (`#!/usr/bin/env node`). Each run counts itself,
 * waits while the test holds it, then prints an `ExecCredential` with whatever the test last set.
 */
export interface ExecPlugin {
  /** The kubeconfig user entry that runs the plugin. */
  readonly user: Record<string, unknown>;
  setCredential(token: string, expiresAt?: Date): Promise<void>;
  /** While held, a run waits before answering (like a plugin waiting for an interactive login). */
  hold(): Promise<void>;
  release(): Promise<void>;
  /** How many times the plugin has started. */
  runs(): Promise<number>;
  dispose(): Promise<void>;
}

const script = `#!/usr/bin/env node
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const here = (name) => new URL(name, import.meta.url);
const runs = existsSync(here('runs')) ? Number(readFileSync(here('runs'), 'utf8')) : 0;
writeFileSync(here('runs'), String(runs + 1));
const answer = () => {
  if (existsSync(here('hold'))) return setTimeout(answer, 10);
  const status = JSON.parse(readFileSync(here('credential.json'), 'utf8'));
  process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
};
answer();
`;

export async function createExecPlugin(): Promise<ExecPlugin> {
  const directory = await mkdtemp(join(tmpdir(), 'kubeinformers-exec-'));
  const command = join(directory, 'credential.mjs');
  await writeFile(command, script);
  await chmod(command, 0o755);
  return {
    user: {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command,
        // `/usr/bin/env node` must find the Node running the tests, whatever else is on the PATH.
        env: [{ name: 'PATH', value: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` }],
      },
    },
    async setCredential(token, expiresAt) {
      const status = { token, ...(expiresAt && { expirationTimestamp: expiresAt.toISOString() }) };
      await writeFile(join(directory, 'credential.json'), JSON.stringify(status));
    },
    hold: () => writeFile(join(directory, 'hold'), ''),
    release: () => rm(join(directory, 'hold'), { force: true }),
    async runs() {
      const file = join(directory, 'runs');
      return existsSync(file) ? Number(await readFile(file, 'utf8')) : 0;
    },
    dispose: () => rm(directory, { recursive: true, force: true }),
  };
}
