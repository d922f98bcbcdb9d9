import { InMemoryLeaseLock } from '../leader-election/in-memory-lease-lock.js';
import type { LeaderElectionOptions } from '../leader-election/leader-election-options.js';
import { LeaderElector } from '../leader-election/leader-elector.js';
import type { LeaseLock, LeaseState } from '../leader-election/lease-lock.js';
import type { ManualClock } from '../time/manual-clock.js';
import { PausableClock } from './pausable-clock.js';

/** Candidates for leader election on one shared lease, with pauses and network faults, for tests. */
export const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
/** Lets every chain of promises the in-memory lease starts run to its end (each is a few links long). */
export async function settleMicrotasks(): Promise<void> {
  for (let index = 0; index < 64; index++) await null;
}

/** Network faults between one candidate and the lease: calls fail, or hang until their signal aborts. */
export class FaultyLock implements LeaseLock {
  mode: 'ok' | 'failing' | 'hanging' = 'ok';
  constructor(private readonly inner: LeaseLock) {}
  get description() {
    return this.inner.description;
  }
  private async gate(signal: AbortSignal): Promise<void> {
    if (this.mode === 'failing') throw new Error('connection refused');
    if (this.mode === 'hanging') {
      await new Promise((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
    }
  }
  async get(signal: AbortSignal) {
    await this.gate(signal);
    return this.inner.get(signal);
  }
  async create(record: Parameters<LeaseLock['create']>[0], signal: AbortSignal) {
    await this.gate(signal);
    return this.inner.create(record, signal);
  }
  async update(record: Parameters<LeaseLock['update']>[0], version: string, signal: AbortSignal) {
    await this.gate(signal);
    return this.inner.update(record, version, signal);
  }
  async waitForHolderChange(observed: LeaseState | undefined, signal: AbortSignal) {
    await this.gate(signal);
    if (this.inner.waitForHolderChange === undefined) throw new Error('cannot tell');
    return this.inner.waitForHolderChange(observed, signal);
  }
}

export interface Candidate {
  readonly identity: string;
  readonly clock: PausableClock;
  readonly lock: FaultyLock;
  elector: LeaderElector;
  stop: AbortController;
  running: Promise<void> | undefined;
  readonly log: string[];
}

export function candidate(
  identity: string,
  lease: InMemoryLeaseLock,
  base: ManualClock,
  options: Partial<LeaderElectionOptions> = {},
): Candidate {
  const clock = new PausableClock(base);
  const lock = new FaultyLock(lease);
  const log: string[] = [];
  const elector = new LeaderElector({
    identity,
    lock,
    clock,
    wallClock: () => base.now(),
    random: () => 0.5,
    onStartedLeading: (signal) => {
      log.push(`started ${base.now()}`);
      signal.addEventListener('abort', () => log.push(`signal ${base.now()}`));
    },
    onStoppedLeading: () => log.push(`stopped ${base.now()}`),
    onNewLeader: (leader) => log.push(`leader ${leader}`),
    onError: () => {},
    ...options,
  });
  return { identity, clock, lock, elector, stop: new AbortController(), running: undefined, log };
}

export function start(entry: Candidate): void {
  entry.stop = new AbortController();
  entry.running = entry.elector.run(entry.stop.signal).finally(() => {
    entry.running = undefined;
  });
}

/** A lease and two candidates on it: `a` starts first and takes it, then `b` stands. */
export async function twoCandidates(clock: ManualClock, options: Partial<LeaderElectionOptions> = {}) {
  const lease = new InMemoryLeaseLock();
  const a = candidate('a', lease, clock, options);
  const b = candidate('b', lease, clock);
  start(a);
  await turn();
  start(b);
  return { lease, a, b };
}

/** Moves time in steps, letting promises settle after each, and checks `invariant` at every step. */
export async function advance(
  clock: ManualClock,
  ms: number,
  invariant: () => void = () => {},
  stepMs = 100,
) {
  for (let moved = 0; moved < ms; moved += stepMs) {
    clock.advance(Math.min(stepMs, ms - moved));
    await settleMicrotasks();
    invariant();
  }
}

export function optionsOf(entry: Candidate): LeaderElectionOptions {
  return {
    identity: entry.identity,
    lock: entry.lock,
    clock: entry.clock,
    onStartedLeading: () => {},
    onError: () => {},
  };
}
