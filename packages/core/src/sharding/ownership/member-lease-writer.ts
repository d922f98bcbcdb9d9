import { LeaseConflictError } from '../../errors/lease-conflict-error.js';
import { LeaseLockError } from '../../errors/lease-lock-error.js';
import { boundedBySignal } from '../../time/bounded-by-signal.js';
import type { Clock } from '../../time/clock.js';
import { microTime } from '../../time/micro-time.js';
import type { ShardRange } from '../shard-range.js';
import { wholeHashSpace } from '../shard-range.js';
import { ClaimHistory } from './claim-history.js';
import { formatRanges, parseRanges } from './hash-ranges.js';
import type { LeaseExpiry } from './lease-expiry.js';
import type { MemberLease, MemberLeaseClient, MemberLeaseRecord } from './member-lease.js';
import { withDeadline } from './with-deadline.js';

export interface MemberLeaseWriterOptions {
  readonly client: MemberLeaseClient;
  /** Our lease's name. */
  readonly name: string;
  /** Written as the lease's holder: a restarted replica must not mistake its predecessor's writes for its own. */
  readonly holder: string;
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly leaseDurationMs: number;
  /** How long one write may take. */
  readonly renewDeadlineMs: number;
  readonly expiry: LeaseExpiry;
  /** A write of ours that started at `startedAt` succeeded. */
  readonly onWritten: (startedAt: number) => void;
  /** Someone fenced our lease: we may own nothing any more. Called before our writes are forgotten. */
  readonly onFenced: () => void;
  /** Failed reads and writes, as `LeaseLockError`. */
  readonly report: (error: LeaseLockError) => void;
}

/**
 * The lease writes of one range-ownership replica: its own lease (join, heartbeat, release), read back
 * after a conflict to tell a fence from a late answer to our own write, and the fencing of other
 * members' expired leases. Every write gives up after the renew deadline.
 */
export class MemberLeaseWriter {
  /** Our last successful write (or the lease read back after a conflict). */
  private current: MemberLease | undefined;
  private readonly history = new ClaimHistory();
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  /** For messages: the client's description followed by our lease's name. */
  readonly description: string;

  constructor(private readonly options: MemberLeaseWriterOptions) {
    this.description = `${options.client.description}${options.name}`;
  }

  get mine(): MemberLease | undefined {
    return this.current;
  }

  /** When the last write of our lease started. */
  get lastWriteAt(): number {
    return this.lastStartedAt;
  }

  /** Our lease, as last written or read, is held by this run. */
  get holding(): boolean {
    return this.current?.holderIdentity === this.options.holder;
  }

  /** See `ClaimHistory.claimedSince`. */
  claimedSince(version: string | undefined): ShardRange[] | undefined {
    return this.history.claimedSince(version);
  }

  /** Writes our lease: join (create, or take over our own fenced or expired lease) or heartbeat. */
  async write(claims: readonly ShardRange[], signal: AbortSignal): Promise<void> {
    const { clock, client, name } = this.options;
    const startedAt = clock.now();
    this.lastStartedAt = startedAt;
    const record: MemberLeaseRecord = {
      holderIdentity: this.options.holder,
      leaseDurationSeconds: this.options.leaseDurationMs / 1000,
      renewTime: microTime(this.options.wallClock()),
      claims: formatRanges(claims),
    };
    const attempt = new AbortController();
    const timer = clock.setTimeout(() => attempt.abort(), this.options.renewDeadlineMs);
    const onStop = () => attempt.abort();
    signal.addEventListener('abort', onStop, { once: true });
    try {
      let base = this.current;
      if (base === undefined) {
        base = await boundedBySignal(client.get(name, attempt.signal), attempt.signal);
        if (base === undefined) {
          this.wrote(
            await boundedBySignal(client.create(name, record, attempt.signal), attempt.signal),
            startedAt,
          );
          return;
        }
        // A lease of ours with claims may belong to an earlier incarnation still at work (a paused process):
        // wait until it expires, as for any other member.
        if (base.holderIdentity !== '' && (parseRanges(base.claims) ?? [wholeHashSpace]).length > 0) {
          if (!this.options.expiry.isExpired(base)) return;
        }
      }
      this.wrote(
        await boundedBySignal(client.update(name, record, base.version, attempt.signal), attempt.signal),
        startedAt,
      );
    } catch (error) {
      if (error instanceof LeaseConflictError) await this.reread(attempt.signal);
      else if (!attempt.signal.aborted)
        this.options.report(new LeaseLockError(this.description, 'update', error));
    } finally {
      timer.cancel();
      signal.removeEventListener('abort', onStop);
    }
  }

  /** Fences every other member lease of `leases` that expired: its holder may own nothing any more. */
  async fenceExpired(leases: readonly MemberLease[], signal: AbortSignal): Promise<void> {
    const { clock, client, expiry, renewDeadlineMs } = this.options;
    for (const lease of leases) {
      if (lease.name === this.options.name || lease.holderIdentity === '' || !expiry.isExpired(lease)) {
        continue;
      }
      const fenced = this.emptied(lease);
      try {
        // Naming the version that expired: if the member renewed since, this fails and nothing changes.
        await withDeadline(clock, renewDeadlineMs, signal, (attempt) =>
          client.update(lease.name, fenced, lease.version, attempt),
        );
      } catch (error) {
        // A conflict means the member renewed (or someone fenced it first): nothing to do.
        if (!(error instanceof LeaseConflictError) && !signal.aborted) {
          this.options.report(new LeaseLockError(this.description, 'update', error));
        }
      }
    }
  }

  /** Empties our lease, if this run holds it, so others take over at once; rejects as the client does. */
  async release(signal: AbortSignal): Promise<void> {
    const mine = this.current;
    if (mine === undefined || mine.holderIdentity !== this.options.holder) return;
    const released = this.emptied(mine);
    this.history.clear();
    this.current = await boundedBySignal(
      this.options.client.update(this.options.name, released, mine.version, signal),
      signal,
    );
  }

  private wrote(lease: MemberLease, startedAt: number): void {
    this.remember(lease);
    this.options.onWritten(startedAt);
  }

  /** After a conflict: someone fenced us, or a write we gave up on committed after all. */
  private async reread(signal: AbortSignal): Promise<void> {
    let current: MemberLease | undefined;
    try {
      current = await boundedBySignal(this.options.client.get(this.options.name, signal), signal);
    } catch (error) {
      if (!signal.aborted) this.options.report(new LeaseLockError(this.description, 'get', error));
      return;
    }
    if (current === undefined || current.holderIdentity !== this.options.holder) {
      this.options.onFenced();
      this.current = current;
      this.history.clear();
      return;
    }
    // Our own write, answered too late: its version is ours to build on, but it extends nothing.
    this.remember(current);
  }

  private remember(lease: MemberLease): void {
    this.current = lease;
    this.history.record(lease);
  }

  /** `lease` with no holder and no claims: fenced, or released by its holder. */
  private emptied(lease: MemberLease): MemberLeaseRecord {
    return {
      holderIdentity: '',
      leaseDurationSeconds: lease.leaseDurationSeconds,
      renewTime: microTime(this.options.wallClock()),
      claims: '',
    };
  }
}
