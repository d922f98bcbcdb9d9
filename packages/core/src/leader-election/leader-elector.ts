import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { LeadershipLostError } from '../errors/leadership-lost-error.js';
import { LeaseConflictError } from '../errors/lease-conflict-error.js';
import { LeaseLockError } from '../errors/lease-lock-error.js';
import { boundedBySignal as bounded } from '../time/bounded-by-signal.js';
import type { Clock } from '../time/clock.js';
import { sleep, systemClock } from '../time/clock.js';
import { microTime } from '../time/micro-time.js';
import type { LeaderElectionOptions } from './leader-election-options.js';
import type { LeaderElectionRecord, LeaseLock, LeaseState } from './lease-lock.js';
import { carryOver, releasedRecord, sameRecord } from './lease-record.js';
import { leaseTimings } from './lease-timings.js';
import { waitForTurn } from './wait-for-turn.js';
import type { WriteGuard } from './write-guard.js';
import { WriteTally } from './write-tally.js';

/** What one attempt found: the lease is ours now, someone else validly holds it, or the call failed. */
type Attempt = 'acquired' | 'held-by-other' | 'failed';

/** client-go's `JitterFactor`: a candidate waits between 1 and 2.2 retry periods between attempts. */
const acquireJitterFactor = 1.2;

/**
 * Leader election on a lease, with client-go's rules:
 * - A candidate takes the lease when it is free, released (`holderIdentity` empty), or expired: unchanged
 *   for the holder's lease duration as measured on the candidate's own clock since it saw the current
 *   record. Timestamps written by the holder are never compared with local time, so clock skew between
 *   machines does not matter; only clock rates do.
 * - The leader renews every retry period. Its leadership lasts the renew deadline from the start of its
 *   last successful renewal, on its own monotonic clock: others wait the (longer) lease duration from
 *   when they saw that renewal, so the leader has stopped before anyone else may take the lease.
 * - Every write names the version it read, so two candidates cannot both win the same race.
 *
 * Fencing, beyond client-go (whose election does not fence): the elector is a {@link WriteGuard}. Writes
 * sent through a guarded client (`makeGuardedApiClient` in the adapter) are checked right before their
 * first byte goes out and refused with `LeadershipLostError` once leadership is over, including after a
 * pause of the process that its timers have not noticed yet; `isLeader` and the leadership signal consult
 * the same clock. A clean stop waits for admitted writes to land (up to the renew deadline) before it
 * releases the lease, and does not release it while one is still out.
 *
 * `run` resolves when the signal aborts or after leadership was lost; to stand again, call `run` again.
 * @see client-go `leaderelection.LeaderElector`
 */
export class LeaderElector implements WriteGuard {
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly wallClock: () => number;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly writes = new WriteTally();
  private observed: LeaseState | undefined;
  /** When `observed` last changed, on our clock: the base of the expiry judgement. */
  private observedAt = 0;
  /** When the attempt that last wrote our own record started: our lease runs from there at the latest. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  private reportedLeader: string | undefined;
  /** The current term's controller: aborting it ends leadership (and the signal its work was given). */
  private leadership: AbortController | undefined;
  private running = false;

  constructor(private readonly options: LeaderElectionOptions) {
    this.lock = options.lock;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.wallClock = options.wallClock ?? (() => Date.now());
    ({
      leaseDurationMs: this.leaseDurationMs,
      renewDeadlineMs: this.renewDeadlineMs,
      retryPeriodMs: this.retryPeriodMs,
    } = leaseTimings(options));
    if (!(this.retryPeriodMs > 0) || !(this.renewDeadlineMs > acquireJitterFactor * this.retryPeriodMs)) {
      throw new InvalidOptionError(
        'retryPeriodMs',
        `must be positive and below renewDeadlineMs / ${acquireJitterFactor}`,
      );
    }
  }

  /**
   * True while this candidate leads: between `onStartedLeading` and the abort of its signal, and only
   * while its last renewal is within the renew deadline on the monotonic clock. Reading it after that
   * deadline passed ends leadership at once (the signal aborts), even before a timer noticed.
   */
  get isLeader(): boolean {
    return this.stillLeading();
  }

  /** The holder last observed, `undefined` before the first read or while the lease is free. */
  get leader(): string | undefined {
    const holder = this.observed?.record.holderIdentity;
    return holder === '' ? undefined : holder;
  }

  /** Throws `LeadershipLostError` unless this candidate leads (see `isLeader`). */
  assertValid(): void {
    if (!this.stillLeading()) throw new LeadershipLostError(this.lock.description, this.options.identity);
  }

  admitWrite(): () => void {
    this.assertValid();
    return this.writes.begin();
  }

  /** Stands for election until `signal` aborts or leadership, once gained, is lost. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new InvalidOptionError('run', 'this elector is already running');
    this.running = true;
    try {
      const acquired = await this.acquire(signal);
      if (!acquired || signal.aborted) {
        // Stopped during an attempt: its write may have committed with the answer abandoned, so read
        // the lease and give it back if it is ours, without starting any work.
        if (signal.aborted && (this.options.releaseOnStop ?? true)) await this.release({ reread: true });
        return;
      }
      const leadership = new AbortController();
      const stopLeading = () => leadership.abort(signal.reason);
      signal.addEventListener('abort', stopLeading, { once: true });
      this.leadership = leadership;
      let work: Promise<void>;
      try {
        work = Promise.resolve(this.options.onStartedLeading(leadership.signal));
      } catch (error) {
        work = Promise.reject(error);
      }
      const finished = work.catch((error: unknown) => this.report(error));
      const kept = await this.renewUntilLost(signal, leadership.signal);
      signal.removeEventListener('abort', stopLeading);
      this.endLeadership(signal.aborted ? signal.reason : new Error(`lost ${this.lock.description}`));
      await finished;
      if (kept && (this.options.releaseOnStop ?? true)) {
        // A write admitted before the end may still be on the wire: releasing now would let the next
        // leader act before it lands. Unsettled after the deadline: let the lease expire instead.
        if (await this.writes.settled(this.clock, this.renewDeadlineMs)) await this.release();
        else {
          this.report(
            new LeaseLockError(
              this.lock.description,
              'release',
              new Error(`${this.writes.count} guarded writes still in flight; the lease is left to expire`),
            ),
          );
        }
      }
      this.callback(() => this.options.onStoppedLeading?.());
    } finally {
      this.running = false;
    }
  }

  private stillLeading(): boolean {
    const leadership = this.leadership;
    if (leadership === undefined || leadership.signal.aborted) return false;
    if (this.clock.now() < this.renewedAt + this.renewDeadlineMs) return true;
    this.endLeadership(new Error(`lease ${this.lock.description} not renewed within the renew deadline`));
    return false;
  }

  private endLeadership(reason: unknown): void {
    const leadership = this.leadership;
    this.leadership = undefined;
    leadership?.abort(reason);
  }

  private async acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      // A hung connection must not stall the candidate: each attempt gets the renew deadline.
      const attempt = new AbortController();
      const timer = this.clock.setTimeout(() => attempt.abort(), this.renewDeadlineMs);
      const onStop = () => attempt.abort();
      signal.addEventListener('abort', onStop, { once: true });
      let outcome: Attempt;
      try {
        outcome = await this.tryAcquireOrRenew(attempt.signal);
      } finally {
        timer.cancel();
        signal.removeEventListener('abort', onStop);
      }
      if (outcome === 'acquired') return true;
      let delay = this.retryPeriodMs * (1 + this.random() * acquireJitterFactor);
      // Unlike client-go, also wake when the observed lease expires: failover then takes the lease
      // duration plus the lag of our last read, not plus up to 2.2 retry periods more.
      const observed = this.observed;
      if (observed !== undefined && observed.record.holderIdentity !== '') {
        const expiresIn = this.observedAt + observed.record.leaseDurationSeconds * 1000 - this.clock.now();
        if (expiresIn >= 0) delay = Math.min(delay, expiresIn);
      }
      if (!(await waitForTurn(this.clock, this.lock, this.observed, delay, signal))) return false;
    }
  }

  /**
   * Renews every retry period; returns true when stopped by `signal`, false when leadership was lost.
   * A renewal already sent when `signal` aborts is waited for (it is bounded by the renew deadline):
   * its answer carries the version that the release must name.
   */
  private async renewUntilLost(signal: AbortSignal, leadership: AbortSignal): Promise<boolean> {
    for (;;) {
      try {
        await sleep(this.clock, this.retryPeriodMs, leadership);
      } catch {
        return signal.aborted;
      }
      // After a pause (a stopped process, a blocked event loop) leadership may be over already: stop
      // at once rather than after a renew round during which another leader may act.
      if (!this.stillLeading()) return false;
      // One round: try at once, then every retry period, until success or until leadership ends.
      const deadline = new AbortController();
      const timer = this.clock.setTimeout(
        () => deadline.abort(),
        this.renewedAt + this.renewDeadlineMs - this.clock.now(),
      );
      const between = AbortSignal.any([deadline.signal, leadership]);
      try {
        for (;;) {
          const attempt = await this.tryAcquireOrRenew(deadline.signal);
          if (signal.aborted) return true;
          if (attempt === 'acquired') break;
          // Someone else validly holds the lease: it is lost, whatever the deadline says.
          if (attempt === 'held-by-other' || !this.stillLeading()) return false;
          try {
            await sleep(this.clock, this.retryPeriodMs, between);
          } catch {
            return signal.aborted;
          }
        }
      } finally {
        timer.cancel();
      }
    }
  }

  private async tryAcquireOrRenew(signal: AbortSignal): Promise<Attempt> {
    const now = this.clock.now();
    const wrote = (state: LeaseState): Attempt => {
      this.renewedAt = now;
      this.observe(state);
      return 'acquired';
    };
    const record: LeaderElectionRecord = {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.leaseDurationMs / 1000,
      acquireTime: microTime(this.wallClock()),
      renewTime: microTime(this.wallClock()),
      leaderTransitions: 0,
    };
    // Fast path (client-go 1.29+): a leader whose lease is still valid writes over the version it holds.
    const held = this.observed;
    if (this.leadership !== undefined && held !== undefined && this.holdsValidLease(now)) {
      try {
        return wrote(
          await bounded(this.lock.update(carryOver(record, held.record), held.version, signal), signal),
        );
      } catch (error) {
        if (!(error instanceof LeaseConflictError)) this.reportLock('update', error, signal);
        if (signal.aborted) return 'failed';
      }
    }
    let current: LeaseState | undefined;
    try {
      current = await bounded(this.lock.get(signal), signal);
    } catch (error) {
      this.reportLock('get', error, signal);
      return 'failed';
    }
    if (current === undefined) {
      try {
        return wrote(await bounded(this.lock.create(record, signal), signal));
      } catch (error) {
        if (!(error instanceof LeaseConflictError)) this.reportLock('create', error, signal);
        return 'failed';
      }
    }
    this.observe(current);
    const holder = current.record.holderIdentity;
    const mine = holder === this.options.identity;
    if (
      holder !== '' &&
      !mine &&
      this.clock.now() < this.observedAt + current.record.leaseDurationSeconds * 1000
    ) {
      return 'held-by-other';
    }
    const next = mine
      ? carryOver(record, current.record)
      : { ...record, leaderTransitions: current.record.leaderTransitions + 1 };
    try {
      return wrote(await bounded(this.lock.update(next, current.version, signal), signal));
    } catch (error) {
      if (!(error instanceof LeaseConflictError)) this.reportLock('update', error, signal);
      return 'failed';
    }
  }

  private holdsValidLease(now: number): boolean {
    const observed = this.observed;
    return (
      observed !== undefined &&
      observed.record.holderIdentity === this.options.identity &&
      now < this.renewedAt + this.leaseDurationMs
    );
  }

  /** Remembers a record; the expiry clock restarts only when it differs from the one seen before. */
  private observe(state: LeaseState): void {
    const before = this.observed;
    if (
      before === undefined ||
      before.version !== state.version ||
      !sameRecord(before.record, state.record)
    ) {
      this.observed = state;
      this.observedAt = this.clock.now();
    }
    const holder = state.record.holderIdentity;
    if (holder !== '' && holder !== this.reportedLeader) {
      this.reportedLeader = holder;
      this.callback(() => this.options.onNewLeader?.(holder));
    }
  }

  /**
   * Hands the lease back so a candidate takes it at once rather than after it expires. A conflict means
   * the lease changed since we read it: a renewal of ours whose answer never arrived, or another holder.
   * Read it again and release it only while it still names us; what cannot be done is reported.
   */
  private async release(options: { readonly reread?: boolean } = {}): Promise<void> {
    const deadline = new AbortController();
    const timer = this.clock.setTimeout(() => deadline.abort(), this.renewDeadlineMs);
    const read = async (): Promise<LeaseState | undefined> => {
      const current = await bounded(this.lock.get(deadline.signal), deadline.signal);
      if (current !== undefined) this.observe(current);
      return current;
    };
    try {
      let held = options.reread ? await read() : this.observed;
      for (let attempt = 1; ; attempt++) {
        if (held === undefined || held.record.holderIdentity !== this.options.identity) return;
        try {
          const released = releasedRecord(held.record, this.wallClock());
          this.observe(
            await bounded(this.lock.update(released, held.version, deadline.signal), deadline.signal),
          );
          return;
        } catch (error) {
          if (!(error instanceof LeaseConflictError) || attempt === 3) throw error;
        }
        held = await read();
      }
    } catch (error) {
      this.report(new LeaseLockError(this.lock.description, 'release', error));
    } finally {
      timer.cancel();
    }
  }

  private reportLock(operation: 'get' | 'create' | 'update', error: unknown, signal: AbortSignal): void {
    // A call cut short by our own deadline or stop is the expected end of an attempt, not a failure.
    if (signal.aborted) return;
    this.report(new LeaseLockError(this.lock.description, operation, error));
  }

  private callback(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    const onError = this.options.onError ?? ((failure: unknown) => console.error(failure));
    onError(error instanceof Error ? error : new Error(String(error)));
  }
}
