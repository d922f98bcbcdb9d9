import { InvalidOptionError } from '../errors/invalid-option-error.js';

/**
 * A range of the 64-bit FNV-1a hash space: `start` inclusive, `end` exclusive, `0 ≤ start < end ≤ 2^64`
 * (the end of the space, 2^64, is written `0x10000000000000000` on the wire).
 */
export interface ShardRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** The exclusive end of the hash space, 2^64. */
export const hashSpaceEnd = 1n << 64n;

/** The whole hash space as one range. */
export const wholeHashSpace: ShardRange = Object.freeze({ start: 0n, end: hashSpaceEnd });

/** Why `range` is not a usable range, or `undefined` when it is. */
export function shardRangeProblem(range: ShardRange): string | undefined {
  if (typeof range.start !== 'bigint' || typeof range.end !== 'bigint')
    return 'start and end must be bigints';
  if (range.start < 0n) return `start ${range.start} is negative`;
  if (range.end > hashSpaceEnd) return `end ${range.end} is past 2^64`;
  if (range.start >= range.end) return `start ${range.start} must be less than end ${range.end}`;
  return undefined;
}

/**
 * Splits the hash space into `count` contiguous ranges of equal width, in order; the last range also takes
 * the remainder of 2^64 / `count` (the split upstream documents: two shards meet at `0x8000000000000000`).
 */
export function splitHashSpace(count: number): ShardRange[] {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidOptionError('count', `must be a positive integer, got ${count}`);
  }
  const width = hashSpaceEnd / BigInt(count);
  const ranges: ShardRange[] = [];
  for (let index = 0n; index < BigInt(count); index++) {
    const start = index * width;
    ranges.push({ start, end: index === BigInt(count) - 1n ? hashSpaceEnd : start + width });
  }
  return ranges;
}
