import type { ShardRange } from '../shard-range.js';
import { wholeHashSpace } from '../shard-range.js';
import { intersectRanges, parseRanges } from './hash-ranges.js';
import type { MemberLease } from './member-lease.js';

/** Enough for a view that lags by a few dozen heartbeats; an older view confirms nothing new. */
const remembered = 32;

/**
 * A replica's recent writes of its own lease, oldest first, with the claims each carried. The view may
 * lag behind by several heartbeats; a range it shows us claiming counts once every write of ours since
 * then claims it too.
 */
export class ClaimHistory {
  private writes: { readonly version: string; readonly claims: ShardRange[] }[] = [];

  /** Our write `lease` succeeded; claims that do not parse count as the whole space. */
  record(lease: MemberLease): void {
    this.writes.push({ version: lease.version, claims: parseRanges(lease.claims) ?? [wholeHashSpace] });
    if (this.writes.length > remembered) this.writes.shift();
  }

  clear(): void {
    this.writes = [];
  }

  /**
   * What our write of `version` and every write since claim; `undefined` when `version` is not one of
   * the writes remembered.
   */
  claimedSince(version: string | undefined): ShardRange[] | undefined {
    const since = this.writes.findIndex((write) => write.version === version);
    if (since < 0) return undefined;
    let claimed = (this.writes[since] as { claims: ShardRange[] }).claims;
    for (const write of this.writes.slice(since + 1)) claimed = intersectRanges(claimed, write.claims);
    return claimed;
  }
}
