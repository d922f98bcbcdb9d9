import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(packageRoot, 'dist', 'cli.js');
const run = promisify(execFile);

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.includes('.test.')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds `dist` when it is missing or older than the sources, so the CLI under test is current. */
export async function ensureBuilt(): Promise<void> {
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= newestSource(join(packageRoot, 'src'))) return;
  await run(
    process.execPath,
    [join(packageRoot, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: packageRoot,
    },
  );
}

export interface CliServer {
  readonly process: ChildProcess;
  /** The first stdout line, parsed. */
  readonly ready: { readonly url: string; readonly kubeconfig: string | null };
  readonly exited: Promise<number | null>;
}

/** Starts the CLI and resolves with its first stdout line; rejects if it exits or stays silent. */
export function startCli(args: readonly string[], timeoutMs = 10_000): Promise<CliServer> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI printed no line within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      try {
        resolve({ process: child, ready: JSON.parse(stdout.slice(0, newline)), exited });
      } catch (error) {
        reject(error);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited with ${code}; stderr: ${stderr}`));
    });
  });
}

/** The kubectl binary, or `undefined` when this machine has none. */
export function findKubectl(): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const candidate = join(directory, 'kubectl');
    if (directory !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}
