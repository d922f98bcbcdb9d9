import type { ShardRange } from '../shard-range.js';

/** What changed in the ranges a replica owns (see `RangeOwnership.subscribe`). */
export interface OwnershipChange {
  /** Everything owned after the change. */
  readonly owned: readonly ShardRange[];
  /**
   * What the live members assign to this replica: owned soon, unless a handover is pending. An informer
   * can list these ahead, so a range is ready to reconcile as soon as it is owned.
   */
  readonly assigned: readonly ShardRange[];
  readonly gained: readonly ShardRange[];
  /**
   * Ranges no longer owned: stop work on them. The replica publishes them as released only after the
   * promise a listener returns settles, so a listener can let in-flight work finish first.
   */
  readonly lost: readonly ShardRange[];
}

/** An object (its `metadata.uid` is hashed) or a uid. */
export type OwnedSubject = string | { readonly metadata?: { readonly uid?: string } };

export function uidOf(subject: OwnedSubject): string {
  return typeof subject === 'string' ? subject : (subject.metadata?.uid ?? '');
}
