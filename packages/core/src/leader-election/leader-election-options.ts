import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { Clock } from '../time/clock.js';
import type { LeaseLock } from './lease-lock.js';

/** What a `LeaderElector` is given: its lock, identity, timings and callbacks. */
export interface LeaderElectionOptions {
  readonly lock: LeaseLock;
  /** This candidate's identity, unique among candidates (e.g. the pod name). */
  readonly identity: string;
  /**
   * How long others wait after they last saw the lease change before taking it over; whole seconds, as
   * the Lease stores them. client-go's default is 15 s.
   */
  readonly leaseDurationMs?: number;
  /** How long the leader keeps trying to renew before it gives up leading; client-go's default is 10 s. */
  readonly renewDeadlineMs?: number;
  /** Time between attempts to acquire or renew; client-go's default is 2 s. */
  readonly retryPeriodMs?: number;
  /** Give the lease up on a clean stop so another candidate takes over at once; default true. */
  readonly releaseOnStop?: boolean;
  /** Durations and timers (monotonic); default `systemClock`. */
  readonly clock?: Clock;
  /**
   * Wall time in milliseconds since the epoch, only for the `acquireTime`/`renewTime` written into the
   * lease for people and tools to read; never compared with anything. Default `Date.now`.
   */
  readonly wallClock?: () => number;
  /** Jitter source in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /**
   * Called when this candidate becomes leader. `signal` aborts when it stops leading (lost lease or stop);
   * the work must then stop. A returned promise is awaited before the lease is released.
   */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called after this candidate stopped leading (not called if it never led). */
  readonly onStoppedLeading?: () => void;
  /** Called when a different holder is observed, this candidate included. */
  readonly onNewLeader?: (identity: string) => void;
  /** Failed lease reads and writes (`LeaseLockError`) and callback failures; default `console.error`. */
  readonly onError?: (error: KubeInformersError | Error) => void;
}
