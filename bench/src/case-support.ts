import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** What the harness hands to every case process (as JSON in `argv[2]`). */
export interface CaseConfig {
  /** The fake API server, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** A kubeconfig file for that server. */
  readonly kubeconfigPath: string;
  /** Pods the server holds. */
  readonly count: number;
  /**
   * `strip` runs `stripManagedFields` (or its equivalent) on every object before it is stored; `prune`
   * removes managedFields before the parse (kubeinformers' `pruneManagedFields`; client-node, which has
   * no such option, deletes it in its handlers as with `strip`).
   */
  readonly transform: 'none' | 'strip' | 'prune';
  /** MODIFIED events the watch cases receive (the server replays them from its history). */
  readonly watchEvents: number;
  /** The shard cases: this replica's index among `count` replicas, each holding one range of the hash space. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Named numbers a case reports; the harness takes medians per name across rounds. */
export type Metrics = Record<string, number>;

/** Marks the result line among whatever else a case (or a library) prints. */
export const resultPrefix = 'BENCH-RESULT ';

/**
 * Runs one case in this process: reads the config, runs `measure`, prints its metrics as one line and
 * exits (open handles of a library under test must not keep a finished case alive).
 */
export function runCase(measure: (config: CaseConfig) => Promise<Metrics>): void {
  const config = JSON.parse(process.argv[2] ?? '{}') as CaseConfig;
  measure(config).then(
    (metrics) => {
      process.stdout.write(`${resultPrefix}${JSON.stringify(metrics)}\n`, () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** CPU time (user + system) this process has used, in milliseconds. */
export function cpuTime(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Milliseconds, monotonic. */
export function now(): number {
  return performance.now();
}

/**
 * Collects garbage until the heap stops shrinking, letting finalizers and weak callbacks run between
 * passes, and returns the heap then in use (bytes). Needs `--expose-gc`.
 */
export async function settledHeap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  let previous = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 6; pass += 1) {
    gc();
    await nextTurn();
    const used = process.memoryUsage().heapUsed;
    if (used >= previous - 64 * 1024) return used;
    previous = used;
  }
  return previous;
}

/** The resident set size right now (bytes). */
export function residentSetSize(): number {
  return process.memoryUsage.rss();
}

/**
 * Resets the OS's record of this process's peak resident set size to the current one (Linux:
 * `/proc/self/clear_refs`), so that a later `peakResidentSetSize()` is the peak of what ran in between and
 * not of module loading before it. Returns false where that is not possible.
 */
export function resetPeakResidentSetSize(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** The highest resident set size of this process (bytes) since start or the last reset, from the OS. */
export function peakResidentSetSize(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Resolves with `promise`, or rejects after `timeoutMs` naming `what` (a case must never hang). */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** A deterministic sequence of indexes in [0, size) (a small LCG), so every implementation looks up the same. */
export function lookupOrder(size: number, length: number): Uint32Array {
  const order = new Uint32Array(length);
  let state = 0x2545f491;
  for (let index = 0; index < length; index += 1) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    order[index] = state % size;
  }
  return order;
}
