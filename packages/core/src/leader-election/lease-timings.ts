import { InvalidOptionError } from '../errors/invalid-option-error.js';

/** The durations of a lease protocol (leader election, range ownership). */
export interface LeaseTimings {
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

/**
 * The identity and timings a lease protocol is given, with client-go's defaults (15 s lease, 10 s
 * renew deadline, 2 s retry period). Throws `InvalidOptionError` for an empty identity, a lease duration
 * that is not whole seconds (a Lease stores seconds), or a renew deadline not shorter than the lease
 * duration; the rule for the retry period differs by protocol and is the caller's to check.
 */
export function leaseTimings(options: {
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}): LeaseTimings {
  const leaseDurationMs = options.leaseDurationMs ?? 15_000;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  if (options.identity === '') throw new InvalidOptionError('identity', 'must not be empty');
  if (!(leaseDurationMs >= 1000) || leaseDurationMs % 1000 !== 0) {
    throw new InvalidOptionError('leaseDurationMs', `must be whole seconds, got ${leaseDurationMs}`);
  }
  if (!(renewDeadlineMs < leaseDurationMs)) {
    throw new InvalidOptionError('renewDeadlineMs', 'must be shorter than leaseDurationMs');
  }
  return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}
