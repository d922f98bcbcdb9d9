import type { Clock } from '../../time/clock.js';
import type { MemberLease } from './member-lease.js';

/**
 * Leader election's expiry rule for member leases: a lease expires when it stayed unchanged for its lease
 * duration, measured on our monotonic clock from when we first saw its current version. Nothing written
 * by the holder (its `renewTime`) is compared with our clock, so skew between machines does not matter.
 */
export class LeaseExpiry {
  private readonly observed = new Map<string, { readonly version: string; readonly at: number }>();

  constructor(private readonly clock: Clock) {}

  /** Notes the versions in view; a version not seen before starts its lease duration now. */
  observe(leases: readonly MemberLease[]): void {
    for (const lease of leases) this.seen(lease);
  }

  isExpired(lease: MemberLease): boolean {
    return this.clock.now() >= this.seen(lease) + lease.leaseDurationSeconds * 1000;
  }

  /** Time until the first of `leases` (holders only) expires; infinite when none will. */
  nextExpiryIn(leases: readonly MemberLease[]): number {
    const now = this.clock.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (const lease of leases) {
      if (lease.holderIdentity === '') continue;
      const due = this.seen(lease) + lease.leaseDurationSeconds * 1000 - now;
      if (due >= 0) soonest = Math.min(soonest, due);
    }
    return soonest;
  }

  /** When the lease's current version was first seen. */
  private seen(lease: MemberLease): number {
    const known = this.observed.get(lease.name);
    if (known !== undefined && known.version === lease.version) return known.at;
    const at = this.clock.now();
    this.observed.set(lease.name, { version: lease.version, at });
    return at;
  }
}
