import { ShardSelectorError } from '../errors/shard-selector-error.js';
import { fnv1a64 } from './fnv1a64.js';
import { type ShardRange, shardRangeProblem } from './shard-range.js';

/** The object fields the API server can shard on (CEL-style paths rooted at `object`). */
export type ShardField = 'object.metadata.uid' | 'object.metadata.namespace';

/**
 * Which objects a sharded list or watch returns: those whose `field`, hashed with {@link fnv1a64}, falls in
 * one of `ranges`. Sent as the `shardSelector` query parameter (Kubernetes 1.36+, feature gate
 * `ShardedListAndWatch`); {@link formatShardSelector} prints it, {@link parseShardSelector} reads it.
 */
export interface ShardSelector {
  readonly field: ShardField;
  readonly ranges: readonly ShardRange[];
}

/** The fields an object needs for {@link shardSelectorMatches}. */
export interface ShardedObject {
  readonly metadata?:
    | { readonly uid?: string | undefined; readonly namespace?: string | undefined }
    | undefined;
}

/**
 * Whether the API server would send `object` to a list or watch with `selector`: the hash of the field's
 * value (an absent field hashes as the empty string, as the server reads it) falls in one of the ranges.
 */
export function shardSelectorMatches(selector: ShardSelector, object: ShardedObject): boolean {
  const value = selector.field === 'object.metadata.uid' ? object.metadata?.uid : object.metadata?.namespace;
  const hash = fnv1a64(value ?? '');
  for (const range of selector.ranges) {
    if (hash >= range.start && hash < range.end) return true;
  }
  return false;
}

/**
 * Prints `selector` as the API server prints it in `metadata.shardInfo.selector`:
 * `shardRange(<field>, '0x<16 hex digits>', '0x<16 hex digits>') || …`, lowercase, the end of the space as
 * `'0x10000000000000000'`, ranges in the given order. Throws {@link ShardSelectorError} for a selector that
 * has no range, an unknown field or a range outside the space.
 */
export function formatShardSelector(selector: ShardSelector): string {
  if (selector.field !== 'object.metadata.uid' && selector.field !== 'object.metadata.namespace') {
    throw new ShardSelectorError(
      String(selector.field),
      `unsupported field path ${JSON.stringify(selector.field)}; supported: object.metadata.uid, object.metadata.namespace`,
    );
  }
  if (selector.ranges.length === 0) {
    throw new ShardSelectorError(
      '',
      'empty shard selector is not allowed; omit the parameter for unfiltered lists',
    );
  }
  const parts: string[] = [];
  for (const range of selector.ranges) {
    const problem = shardRangeProblem(range);
    if (problem !== undefined) throw new ShardSelectorError(parts.join(' || '), problem);
    parts.push(
      `shardRange(${selector.field}, '${formatHashBound(range.start)}', '${formatHashBound(range.end)}')`,
    );
  }
  return parts.join(' || ');
}

/** A hash bound as the wire writes it: `0x` and 16 lowercase hex digits (17 for 2^64). */
export function formatHashBound(bound: bigint): string {
  return `0x${bound.toString(16).padStart(16, '0')}`;
}
