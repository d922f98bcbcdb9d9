import { LeaseConflictError } from '../errors/lease-conflict-error.js';
import type { LeaderElectionRecord, LeaseLock, LeaseState } from './lease-lock.js';

/**
 * A lease held in memory with the API server's optimistic concurrency, for tests and for electing among
 * tasks of one process. Candidates share one instance.
 */
export class InMemoryLeaseLock implements LeaseLock {
  readonly description: string;
  private state: LeaseState | undefined;
  private revision = 0;
  private readonly waiters = new Set<() => void>();

  constructor(name = 'in-memory lease') {
    this.description = name;
  }

  /** The stored record, for assertions. */
  get current(): LeaseState | undefined {
    return this.state;
  }

  async get(signal: AbortSignal): Promise<LeaseState | undefined> {
    signal.throwIfAborted();
    return this.state;
  }

  async create(record: LeaderElectionRecord, signal: AbortSignal): Promise<LeaseState> {
    signal.throwIfAborted();
    if (this.state !== undefined) throw new LeaseConflictError(this.description);
    return this.write(record);
  }

  async update(record: LeaderElectionRecord, version: string, signal: AbortSignal): Promise<LeaseState> {
    signal.throwIfAborted();
    if (this.state?.version !== version) throw new LeaseConflictError(this.description);
    return this.write(record);
  }

  async waitForChange(version: string | undefined, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.state?.version !== version) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private write(record: LeaderElectionRecord): LeaseState {
    this.revision += 1;
    this.state = { record: { ...record }, version: String(this.revision) };
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
    return this.state;
  }
}
