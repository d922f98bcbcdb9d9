import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { LeaseConflictError } from '../errors/lease-conflict-error.js';
import { LeaseLockError } from '../errors/lease-lock-error.js';
import type { Clock } from '../time/clock.js';
import { sleep, systemClock } from '../time/clock.js';
import type { LeaderElectionOptions } from './leader-election-options.js';
import type { LeaderElectionRecord, LeaseLock, LeaseState } from './lease-lock.js';

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
 * - The leader renews every retry period. When it cannot renew within the renew deadline, it stops
 *   leading (its `onStartedLeading` signal aborts) before anyone else may take the lease: the renew
 *   deadline plus a retry period is shorter than the lease duration.
 * - Every write names the version it read, so two candidates cannot both win the same race.
 *
 * `run` resolves when the signal aborts or after leadership was lost; to stand again, call `run` again.
 * @see client-go `leaderelection.LeaderElector`
 */
export class LeaderElector {
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly wallClock: () => number;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observed: LeaseState | undefined;
  /** When `observed` last changed, on our clock: the base of the expiry judgement. */
  private observedAt = 0;
  /** When the attempt that last wrote our own record started: our lease runs from there at the latest. */
  private renewedAt = Number.NEGATIVE_INFINITY;
  private reportedLeader: string | undefined;
  private leading = false;
  private running = false;

  constructor(private readonly options: LeaderElectionOptions) {
    this.lock = options.lock;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.wallClock = options.wallClock ?? (() => Date.now());
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (options.identity === '') throw new InvalidOptionError('identity', 'must not be empty');
    if (!(this.leaseDurationMs >= 1000) || this.leaseDurationMs % 1000 !== 0) {
      throw new InvalidOptionError('leaseDurationMs', `must be whole seconds, got ${this.leaseDurationMs}`);
    }
    if (!(this.renewDeadlineMs < this.leaseDurationMs)) {
      throw new InvalidOptionError('renewDeadlineMs', 'must be shorter than leaseDurationMs');
    }
    if (!(this.retryPeriodMs > 0) || !(this.renewDeadlineMs > acquireJitterFactor * this.retryPeriodMs)) {
      throw new InvalidOptionError(
        'retryPeriodMs',
        `must be positive and below renewDeadlineMs / ${acquireJitterFactor}`,
      );
    }
  }

  /** True while this candidate leads (between `onStartedLeading` and the abort of its signal). */
  get isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed, `undefined` before the first read or while the lease is free. */
  get leader(): string | undefined {
    const holder = this.observed?.record.holderIdentity;
    return holder === '' ? undefined : holder;
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
      this.leading = true;
      let work: Promise<void>;
      try {
        work = Promise.resolve(this.options.onStartedLeading(leadership.signal));
      } catch (error) {
        work = Promise.reject(error);
      }
      const finished = work.catch((error: unknown) => this.report(error));
      const kept = await this.renewUntilLost(signal);
      this.leading = false;
      signal.removeEventListener('abort', stopLeading);
      leadership.abort(signal.aborted ? signal.reason : new Error(`lost ${this.lock.description}`));
      await finished;
      if (kept && (this.options.releaseOnStop ?? true)) await this.release();
      this.callback(() => this.options.onStoppedLeading?.());
    } finally {
      this.running = false;
    }
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
      try {
        await sleep(this.clock, delay, signal);
      } catch {
        return false;
      }
    }
  }

  /** Renews every retry period; returns true when stopped by `signal`, false when the lease was lost. */
  private async renewUntilLost(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      try {
        await sleep(this.clock, this.retryPeriodMs, signal);
      } catch {
        return true;
      }
      // After a pause (a stopped process, a blocked event loop) our lease may be gone already: stop
      // leading at once rather than after a renew deadline during which another leader may act.
      if (this.clock.now() >= this.renewedAt + this.leaseDurationMs) return false;
      // One round: try at once, then every retry period, until success or the renew deadline.
      const deadline = new AbortController();
      const timer = this.clock.setTimeout(() => deadline.abort(), this.renewDeadlineMs);
      const onStop = () => deadline.abort();
      signal.addEventListener('abort', onStop, { once: true });
      try {
        for (;;) {
          const attempt = await this.tryAcquireOrRenew(deadline.signal);
          if (attempt === 'acquired') break;
          if (signal.aborted) return true;
          // Someone else validly holds the lease: it is lost, whatever the deadline says.
          if (attempt === 'held-by-other') return false;
          if (this.clock.now() >= this.renewedAt + this.leaseDurationMs) return false;
          if (deadline.signal.aborted) return false;
          try {
            await sleep(this.clock, this.retryPeriodMs, deadline.signal);
          } catch {
            if (signal.aborted) return true;
            return false;
          }
        }
      } finally {
        timer.cancel();
        signal.removeEventListener('abort', onStop);
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
    if (this.leading && held !== undefined && this.holdsValidLease(now)) {
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

  /** Hands the lease back so a candidate takes it at once rather than after it expires. */
  private async release(options: { readonly reread?: boolean } = {}): Promise<void> {
    if (options.reread) {
      const reading = new AbortController();
      const timer = this.clock.setTimeout(() => reading.abort(), this.renewDeadlineMs);
      try {
        const current = await bounded(this.lock.get(reading.signal), reading.signal);
        if (current !== undefined) this.observe(current);
      } catch (error) {
        this.reportLock('get', error, reading.signal);
        return;
      } finally {
        timer.cancel();
      }
    }
    const held = this.observed;
    if (held === undefined || held.record.holderIdentity !== this.options.identity) return;
    const now = microTime(this.wallClock());
    const released: LeaderElectionRecord = {
      holderIdentity: '',
      // client-go writes 1 s: the smallest duration a Lease can state.
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaderTransitions: held.record.leaderTransitions,
    };
    const deadline = new AbortController();
    const timer = this.clock.setTimeout(() => deadline.abort(), this.renewDeadlineMs);
    try {
      this.observe(await bounded(this.lock.update(released, held.version, deadline.signal), deadline.signal));
    } catch (error) {
      // A conflict means someone else already wrote the lease: nothing left to release.
      if (!(error instanceof LeaseConflictError)) this.reportLock('update', error, deadline.signal);
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

/**
 * Ends with the signal even when a lock ignores it: the elector's belief that it leads must be bounded by
 * its own timers, never by an implementation's promise.
 */
function bounded<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A renewal keeps the acquire time and the transition count of the term it continues. */
function carryOver(record: LeaderElectionRecord, held: LeaderElectionRecord): LeaderElectionRecord {
  return {
    ...record,
    ...(held.acquireTime === undefined ? {} : { acquireTime: held.acquireTime }),
    leaderTransitions: held.leaderTransitions,
  };
}

function sameRecord(a: LeaderElectionRecord, b: LeaderElectionRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime === b.acquireTime &&
    a.renewTime === b.renewTime &&
    a.leaderTransitions === b.leaderTransitions
  );
}

/** RFC 3339 with microseconds, as `metav1.MicroTime` is written. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}
