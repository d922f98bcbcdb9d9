import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CaseConfig, type Metrics, resultPrefix } from './case-support.js';

/** Every case file under `cases/`, by name. */
export type CaseName =
  | 'initial-sync-kubeinformers'
  | 'initial-sync-client-node'
  | 'initial-sync-floor'
  | 'initial-sync-text-floor'
  | 'watch-kubeinformers'
  | 'watch-client-node'
  | 'watch-floor'
  | 'lookup-kubeinformers'
  | 'lookup-client-node'
  | 'reads-kubeinformers'
  | 'watch-controller-kubeinformers'
  | 'watch-metrics-kubeinformers'
  | 'queue-work-queue'
  | 'queue-metrics-work-queue'
  | 'queue-array'
  | 'shard-replica-kubeinformers';

/** Extra Node flags for case processes, e.g. `--cpu-prof` (from `BENCH_NODE_OPTIONS`). */
const extraNodeFlags = (process.env.BENCH_NODE_OPTIONS ?? '').split(' ').filter((flag) => flag !== '');

/**
 * Runs one case in a fresh Node process with `--expose-gc` (nothing JIT-warmed or cached from another
 * case, and a heap that holds only this case) and returns its metrics.
 */
export function runCaseProcess(name: CaseName, config: CaseConfig, signal: AbortSignal): Promise<Metrics> {
  const file = fileURLToPath(new URL(`./cases/${name}.js`, import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', ...extraNodeFlags, file, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    output += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    errors += text;
  });
  // The server went away: the case can only hang until its own deadline, so end it now.
  const onAbort = () => child.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const line = output.split('\n').find((candidate) => candidate.startsWith(resultPrefix));
      if (code !== 0 || line === undefined) {
        reject(new Error(`case ${name} failed (${exitSignal ?? code}):\n${errors.trim() || output.trim()}`));
        return;
      }
      resolve(JSON.parse(line.slice(resultPrefix.length)) as Metrics);
    });
  });
}
