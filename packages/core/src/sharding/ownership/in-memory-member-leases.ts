import { LeaseConflictError } from '../../errors/lease-conflict-error.js';
import type { MemberLease, MemberLeaseClient, MemberLeaseRecord, MemberLeaseView } from './member-lease.js';

/**
 * Member leases held in memory with the API server's optimistic concurrency and commit order, for tests
 * and for sharding work among tasks of one process. Replicas share one instance: each writes through it
 * (`MemberLeaseClient`) and reads through a `view()` of its own.
 */
export class InMemoryMemberLeases implements MemberLeaseClient {
  readonly description: string;
  private readonly leases = new Map<string, MemberLease>();
  /** Every committed write, in commit order: what a watch replays. */
  private readonly log: MemberLease[] = [];
  private readonly views = new Set<InMemoryMemberLeaseView>();

  constructor(description = 'in-memory member leases') {
    this.description = description;
  }

  /** The stored leases, for assertions. */
  get current(): ReadonlyMap<string, MemberLease> {
    return this.leases;
  }

  /** A view that follows the commits as a watch would, a microtask after each. */
  view(): InMemoryMemberLeaseView {
    const view = new InMemoryMemberLeaseView(this.log);
    this.views.add(view);
    return view;
  }

  async get(name: string, signal: AbortSignal): Promise<MemberLease | undefined> {
    signal.throwIfAborted();
    return this.leases.get(name);
  }

  async create(name: string, record: MemberLeaseRecord, signal: AbortSignal): Promise<MemberLease> {
    signal.throwIfAborted();
    if (this.leases.has(name)) throw new LeaseConflictError(`${this.description}/${name}`);
    return this.commit(name, record);
  }

  async update(
    name: string,
    record: MemberLeaseRecord,
    version: string,
    signal: AbortSignal,
  ): Promise<MemberLease> {
    signal.throwIfAborted();
    if (this.leases.get(name)?.version !== version) {
      throw new LeaseConflictError(`${this.description}/${name}`);
    }
    return this.commit(name, record);
  }

  private commit(name: string, record: MemberLeaseRecord): MemberLease {
    const lease: MemberLease = {
      name,
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      claims: record.claims,
      ...(record.renewTime === undefined ? {} : { renewTime: record.renewTime }),
      version: String(this.log.length + 1),
    };
    this.leases.set(name, lease);
    this.log.push(lease);
    for (const view of this.views) view.committed();
    return lease;
  }
}

/**
 * One replica's watch of the member leases: it applies the commits in order, and can be held (a watch
 * that lags or is cut off) and let go again (it then catches up, as a rewatch or a relist would).
 */
export class InMemoryMemberLeaseView implements MemberLeaseView {
  private readonly state = new Map<string, MemberLease>();
  private readonly listeners = new Set<() => void>();
  private applied = 0;
  private held = false;
  private scheduled = false;

  constructor(private readonly log: readonly MemberLease[]) {
    this.catchUp();
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Stops applying commits until `letGo`. */
  hold(): void {
    this.held = true;
  }

  letGo(): void {
    this.held = false;
    this.committed();
  }

  /** While held: applies at most `count` more commits, as a watch that lags but moves does. */
  deliver(count: number): void {
    for (let index = 0; index < count && this.applied < this.log.length; index++) {
      this.applyNext();
      for (const listener of [...this.listeners]) listener();
    }
  }

  list(): readonly MemberLease[] {
    return [...this.state.values()];
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async whenSynced(): Promise<void> {}

  /** @internal Called by the store after each commit. */
  committed(): void {
    if (this.scheduled || this.held) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      if (this.held) return;
      // One commit at a time, notifying after each: a watch delivers events one by one.
      while (this.applied < this.log.length && !this.held) {
        this.applyNext();
        for (const listener of [...this.listeners]) listener();
      }
    });
  }

  private catchUp(): void {
    while (this.applied < this.log.length) this.applyNext();
  }

  private applyNext(): void {
    const lease = this.log[this.applied] as MemberLease;
    this.applied += 1;
    this.state.set(lease.name, lease);
  }
}
