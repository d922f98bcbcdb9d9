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

  async waitForHolderChange(observed: LeaseState | undefined, signal: AbortSignal): Promise<void> {
    const holder = (state: LeaseState | undefined) => state?.record.holderIdentity;
    signal.throwIfAborted();
    if (holder(this.state) !== holder(observed)) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiters.delete(wake);
        reject(signal.reason);
      };
      const wake = () => {
        if (holder(this.state) === holder(observed)) return;
        this.waiters.delete(wake);
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
    for (const wake of [...this.waiters]) wake();
    return this.state;
  }
}
