import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { LeaseConflictError } from '../../errors/lease-conflict-error.js';
import { LeaseLockError } from '../../errors/lease-lock-error.js';
import { RangeNotOwnedError } from '../../errors/range-not-owned-error.js';
import { leaseTimings } from '../../leader-election/lease-timings.js';
import type { WriteGuard } from '../../leader-election/write-guard.js';
import { boundedBySignal } from '../../time/bounded-by-signal.js';
import type { Clock, ClockTimer } from '../../time/clock.js';
import { systemClock } from '../../time/clock.js';
import { fnv1a64 } from '../fnv1a64.js';
import type { ShardRange } from '../shard-range.js';
import { wholeHashSpace } from '../shard-range.js';
import { AdmittedWrites } from './admitted-writes.js';
import {
  intersectRanges,
  parseRanges,
  rangesContain,
  rangesEqual,
  subtractRanges,
  unionRanges,
} from './hash-ranges.js';
import { LeaseExpiry } from './lease-expiry.js';
import type { MemberLease } from './member-lease.js';
import { MemberLeaseWriter } from './member-lease-writer.js';
import { type OwnedSubject, type OwnershipChange, uidOf } from './ownership-change.js';
import { assignRanges, defaultVirtualNodes } from './range-assignment.js';
import type { RangeOwnershipOptions } from './range-ownership-options.js';
import { Wakeup } from './wakeup.js';

/** What a claim that cannot be read counts as: everything, the only safe reading. */
const wholeSpace: readonly ShardRange[] = [wholeHashSpace];

/**
 * Splits the `metadata.uid` hash space among the replicas of a controller, on membership Leases.
 *
 * - Membership: each replica heartbeats its own lease (`<prefix><identity>`) every retry period; a member
 *   is live while its lease changed within its lease duration, as measured on the observer's monotonic
 *   clock since the observer saw the change (leader election's rule; wall clocks are never compared).
 * - Assignment: the live members split the space by consistent hashing (`assignRanges`); a replica
 *   claims its share in its lease's `claims` before it works on it.
 * - Handover: a replica starts owning a claimed range only when its view of the leases shows its own
 *   latest write and no other lease claims any part of the range. The view is a prefix of the commit
 *   order, so of two overlapping claims the later one's owner sees the earlier one. Claims go away only
 *   when their owner publishes a write without them, after it stopped working on them, or when another
 *   member fences the owner's expired lease (a write naming the version it saw expire, so it fails if the
 *   owner renewed since).
 * - A replica owns nothing once its last successful lease write started longer than the renew deadline
 *   ago: that is before anyone may consider its lease expired, as long as clock rates differ by less than
 *   the two durations' ratio allows. `owns` and `assertOwns` consult the clock on every call.
 *
 * At no moment do two replicas both own a hash point (tested by a randomized model with pauses, lagging
 * views, failing and hanging writes, restarts and clock-rate drift).
 */
export class RangeOwnership {
  readonly identity: string;
  private readonly leaseName: string;
  private readonly prefix: string;
  private readonly clock: Clock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly virtualNodes: number;
  private owned: ShardRange[] = [];
  /** Ranges given up whose listeners have not finished: still claimed, not owned. */
  private draining: ShardRange[] = [];
  private target: ShardRange[] = [];
  private guardUntil = Number.NEGATIVE_INFINITY;
  private readonly expiry: LeaseExpiry;
  private readonly listeners = new Set<(change: OwnershipChange) => void | Promise<void>>();
  private guardTimer: ClockTimer | undefined;
  private readonly admitted = new AdmittedWrites();
  private readonly wakeup = new Wakeup();
  private running = false;
  private readonly lease: MemberLeaseWriter;

  constructor(private readonly options: RangeOwnershipOptions) {
    this.identity = options.identity;
    this.prefix = options.leaseNamePrefix ?? 'shard-member-';
    this.leaseName = `${this.prefix}${options.identity}`;
    this.clock = options.clock ?? systemClock;
    this.expiry = new LeaseExpiry(this.clock);
    this.virtualNodes = options.virtualNodes ?? defaultVirtualNodes;
    const random = options.random ?? Math.random;
    const holder = `${options.identity}_${Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')}`;
    ({
      leaseDurationMs: this.leaseDurationMs,
      renewDeadlineMs: this.renewDeadlineMs,
      retryPeriodMs: this.retryPeriodMs,
    } = leaseTimings(options));
    if (!(this.retryPeriodMs > 0) || !(this.retryPeriodMs < this.renewDeadlineMs)) {
      throw new InvalidOptionError('retryPeriodMs', 'must be positive and shorter than renewDeadlineMs');
    }
    if (!Number.isInteger(this.virtualNodes) || this.virtualNodes < 1) {
      throw new InvalidOptionError('virtualNodes', `must be a positive integer, got ${this.virtualNodes}`);
    }
    this.lease = new MemberLeaseWriter({
      client: options.leases,
      name: this.leaseName,
      holder,
      clock: this.clock,
      wallClock: options.wallClock ?? (() => Date.now()),
      leaseDurationMs: this.leaseDurationMs,
      renewDeadlineMs: this.renewDeadlineMs,
      expiry: this.expiry,
      onWritten: (startedAt) => this.guard(startedAt),
      onFenced: () => {
        // Our ranges are someone else's now (our guard lapsed before that could happen).
        this.guardUntil = Number.NEGATIVE_INFINITY;
        if (this.owned.length > 0) this.lose(this.owned);
      },
      report: (error) => this.report(error),
    });
  }

  /** The ranges owned now: empty once the renew deadline passed without a successful lease write. */
  get ownedRanges(): readonly ShardRange[] {
    return this.clock.now() < this.guardUntil ? this.owned : [];
  }

  /** The ranges the live members assign to this replica, owned or not yet. */
  get assignedRanges(): readonly ShardRange[] {
    return this.target;
  }

  /** The live members as last computed, this replica included once its lease is written. */
  get members(): readonly string[] {
    return this.liveMembers();
  }

  /** Whether this replica owns the object (or uid) now. */
  owns(subject: OwnedSubject): boolean {
    return rangesContain(this.ownedRanges, fnv1a64(uidOf(subject)));
  }

  /** Throws `RangeNotOwnedError` unless this replica owns the object (or uid) now: call before each write. */
  assertOwns(subject: OwnedSubject): void {
    const uid = uidOf(subject);
    const hash = fnv1a64(uid);
    if (!rangesContain(this.ownedRanges, hash)) throw new RangeNotOwnedError(this.identity, uid, hash);
  }

  /**
   * A `WriteGuard` for writes about one object (e.g. for `makeGuardedApiClient` of
   * `@kubeinformers/k8s-client-adapter`): `assertValid` is `assertOwns`, and a write admitted with
   * `admitWrite` delays the release of its range until its answer arrived.
   */
  guardFor(subject: OwnedSubject): WriteGuard {
    const hash = fnv1a64(uidOf(subject));
    return {
      assertValid: () => this.assertOwns(subject),
      admitWrite: () => {
        this.assertOwns(subject);
        return this.admitted.admit(hash);
      },
    };
  }

  /**
   * Calls `listener` on every change of the owned ranges; returns the remover. A promise it returns for a
   * change with `lost` ranges delays their publication as released (not their loss: `owns` is false at
   * once).
   */
  subscribe(listener: (change: OwnershipChange) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Joins, heartbeats and follows the members until `signal` aborts; then stops owning, waits for the
   * listeners of that loss, and releases its lease (holder and claims emptied) so others take over at once.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new InvalidOptionError('run', 'this ownership is already running');
    this.running = true;
    const unsubscribe = this.options.view.subscribe(() => this.wakeup.wake());
    try {
      await this.options.view.whenSynced(signal).catch(() => {});
      while (!signal.aborted) {
        await this.step(signal);
        await this.pause(signal);
      }
      await this.release();
    } finally {
      unsubscribe();
      this.guardTimer?.cancel();
      this.running = false;
    }
  }

  private async step(signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    if (now >= this.guardUntil && this.owned.length > 0) this.lose(this.owned);
    this.expiry.observe(this.memberLeases());
    const live = this.liveMembers();
    const target = live.includes(this.identity)
      ? (assignRanges(live, this.virtualNodes).get(this.identity) ?? [])
      : [];
    if (!rangesEqual(target, this.target)) {
      this.target = target;
      this.notify({ owned: this.owned, assigned: target, gained: [], lost: [] });
    }
    const givenAway = subtractRanges(this.owned, this.target);
    if (givenAway.length > 0) this.lose(givenAway);
    await this.lease.fenceExpired(this.memberLeases(), signal);
    const claims = unionRanges(unionRanges(this.owned, this.draining), this.target);
    const { mine } = this.lease;
    const claimed = mine === undefined ? undefined : (parseRanges(mine.claims) ?? wholeSpace);
    if (
      mine === undefined ||
      claimed === undefined ||
      !rangesEqual(claims, claimed) ||
      this.clock.now() >= this.lease.lastWriteAt + this.retryPeriodMs
    ) {
      await this.lease.write(claims, signal);
    }
    this.confirm();
  }

  /** Owns the claimed, assigned ranges no other member claims, once the view shows our latest write. */
  private confirm(): void {
    if (this.lease.mine === undefined || !(this.clock.now() < this.guardUntil)) return;
    const leases = this.memberLeases();
    const shown = leases.find((lease) => lease.name === this.leaseName)?.version;
    const claimed = this.lease.claimedSince(shown);
    if (claimed === undefined) return;
    let others: ShardRange[] = [];
    for (const lease of leases) {
      if (lease.name === this.leaseName || lease.holderIdentity === '') continue;
      others = unionRanges(others, parseRanges(lease.claims) ?? wholeSpace);
    }
    const candidates = subtractRanges(
      subtractRanges(intersectRanges(claimed, this.target), this.owned),
      this.draining,
    );
    const gained = subtractRanges(candidates, others);
    if (gained.length === 0) return;
    this.owned = unionRanges(this.owned, gained);
    this.notify({ owned: this.owned, assigned: this.target, gained, lost: [] });
  }

  /** Stops owning `ranges` at once; they stay claimed until the listeners of the loss settle. */
  private lose(ranges: readonly ShardRange[]): void {
    const lost = intersectRanges(this.owned, [...ranges]);
    if (lost.length === 0) return;
    this.owned = subtractRanges(this.owned, lost);
    this.draining = unionRanges(this.draining, lost);
    const answered = this.admitted.answeredIn(lost);
    const settled = Promise.all([
      this.notify({ owned: this.owned, assigned: this.target, gained: [], lost }),
      ...answered,
    ]);
    void settled.then(() => {
      this.draining = subtractRanges(this.draining, lost);
      this.wakeup.wake();
    });
  }

  private notify(change: OwnershipChange): Promise<unknown> {
    const pending: Promise<unknown>[] = [];
    for (const listener of [...this.listeners]) {
      try {
        const result = listener(change);
        if (result !== undefined) pending.push(Promise.resolve(result).catch((error) => this.report(error)));
      } catch (error) {
        this.report(error);
      }
    }
    return Promise.all(pending);
  }

  /** Our lease write that started at `startedAt` succeeded: we may own until the renew deadline from then. */
  private guard(startedAt: number): void {
    this.guardUntil = startedAt + this.renewDeadlineMs;
    this.guardTimer?.cancel();
    // Wake when the guard lapses so listeners hear of the loss even if nothing else happens.
    this.guardTimer = this.clock.setTimeout(() => this.wakeup.wake(), this.renewDeadlineMs);
  }

  /** Stops owning, waits for the listeners, and empties our lease so others take over at once. */
  private async release(): Promise<void> {
    this.guardTimer?.cancel();
    if (this.owned.length > 0) this.lose(this.owned);
    this.guardUntil = Number.NEGATIVE_INFINITY;
    const deadline = new AbortController();
    const timer = this.clock.setTimeout(() => deadline.abort(), this.renewDeadlineMs);
    try {
      await boundedBySignal(this.drained(), deadline.signal);
      await this.lease.release(deadline.signal);
    } catch (error) {
      // Not released (listeners still busy, a conflict, a failed write): the lease then expires instead.
      if (!(error instanceof LeaseConflictError) && !deadline.signal.aborted) {
        this.report(new LeaseLockError(this.lease.description, 'update', error));
      }
    } finally {
      timer.cancel();
    }
  }

  private async drained(): Promise<void> {
    while (this.draining.length > 0) await this.wakeup.wait(this.clock, this.renewDeadlineMs);
  }

  private liveMembers(): string[] {
    const live: string[] = [];
    for (const lease of this.memberLeases()) {
      if (lease.name === this.leaseName || lease.holderIdentity === '') continue;
      if (this.expiry.isExpired(lease)) continue;
      live.push(lease.name.slice(this.prefix.length));
    }
    if (this.lease.holding) live.push(this.identity);
    return live.sort();
  }

  private memberLeases(): readonly MemberLease[] {
    return this.options.view.list().filter((lease) => lease.name.startsWith(this.prefix));
  }

  /** Waits a retry period, or less when the view changes, a drain ends or the guard lapses. */
  private pause(signal: AbortSignal): Promise<void> {
    // Like the leader elector, also wake when an observed lease expires: takeover then takes the lease
    // duration plus the lag of our view, not up to a retry period more.
    const others = this.memberLeases().filter((lease) => lease.name !== this.leaseName);
    const delay = Math.min(this.retryPeriodMs, this.expiry.nextExpiryIn(others));
    return this.wakeup.wait(this.clock, delay, signal);
  }

  private report(error: unknown): void {
    const onError = this.options.onError ?? ((failure: unknown) => console.error(failure));
    onError(error instanceof Error ? error : new Error(String(error)));
  }
}
