import type { KubeInformersError } from '../../errors/kube-informers-error.js';
import type { Clock } from '../../time/clock.js';
import type { MemberLeaseClient, MemberLeaseView } from './member-lease.js';

/** What a `RangeOwnership` is given: where the member leases are, its identity, timings. */
export interface RangeOwnershipOptions {
  /** Writes this replica's lease and fences expired members' leases. */
  readonly leases: MemberLeaseClient;
  /** Every member lease, in commit order (see `MemberLeaseView`'s contract). */
  readonly view: MemberLeaseView;
  /** This replica's identity, unique among the replicas (e.g. the pod name). */
  readonly identity: string;
  /**
   * Member leases are named this prefix followed by the identity; leases in the view without it are
   * ignored. Default `shard-member-`.
   */
  readonly leaseNamePrefix?: string;
  /**
   * How long others wait after they last saw a member's lease change before they fence it and take its
   * ranges; whole seconds, as the Lease stores them. client-go's leader election default is 15 s.
   */
  readonly leaseDurationMs?: number;
  /**
   * How long after the start of its last successful lease write a replica keeps owning its ranges without
   * another; default 10 s. Must be shorter than the lease duration by more than the clock-rate difference
   * between machines can eat (with 15 s and 10 s, rates may differ by up to 20 %).
   */
  readonly renewDeadlineMs?: number;
  /** Time between heartbeats; default 2 s. */
  readonly retryPeriodMs?: number;
  /** Points on the hash ring per member (see `assignRanges`); default 16. */
  readonly virtualNodes?: number;
  /** Durations and timers (monotonic); default `systemClock`. */
  readonly clock?: Clock;
  /** Wall time in ms since the epoch, only for the `renewTime` written for people; default `Date.now`. */
  readonly wallClock?: () => number;
  /** Randomness for this run's incarnation id (written into the lease's holder); default `Math.random`. */
  readonly random?: () => number;
  /** Failed lease reads and writes (`LeaseLockError`) and listener failures; default `console.error`. */
  readonly onError?: (error: KubeInformersError | Error) => void;
}
