import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboardIfMissing } from './page-server.js';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A free loopback port: the dashboard's port is strict, so a restart must be able to take it again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface DashboardProcess {
  readonly url: string;
  /** Milliseconds from spawn to the printed URL. */
  readonly startedInMs: number;
  stop(): Promise<void>;
}

/**
 * Runs `server/dashboard.mjs` (what `pnpm dashboard` runs) with `args` on `port` and resolves once it
 * printed its URL; the production build is made first if missing.
 */
export async function startDashboardProcess(
  port: number,
  args: readonly string[] = [],
): Promise<DashboardProcess> {
  await buildDashboardIfMissing();
  const startedAt = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [join(appRoot, 'server', 'dashboard.mjs'), '--port', String(port), ...args],
    { cwd: appRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`the dashboard did not start within 60 s:\n${output}`)),
      60_000,
    );
    const read = (data: Buffer) => {
      output += String(data);
      const match = /dashboard: (http\S+)/.exec(output);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the dashboard exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    startedInMs: performance.now() - startedAt,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
