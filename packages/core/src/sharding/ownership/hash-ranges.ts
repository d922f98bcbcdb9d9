import type { ShardRange } from '../shard-range.js';
import { hashSpaceEnd } from '../shard-range.js';

// Sets of hash ranges as ownership computes with them: sorted, disjoint, non-empty `ShardRange`s, so a set
// can be handed to a shard selector as is. Every function below takes and returns normalized sets.
type HashRange = ShardRange;

/** Sorts, drops empty ranges and merges overlapping or touching ones. */
export function normalizeRanges(ranges: readonly HashRange[]): HashRange[] {
  const sorted = ranges
    .filter((range) => range.start < range.end)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const merged: HashRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end) {
      if (range.end > last.end) merged[merged.length - 1] = { start: last.start, end: range.end };
    } else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

export function unionRanges(a: readonly HashRange[], b: readonly HashRange[]): HashRange[] {
  return normalizeRanges([...a, ...b]);
}

/** The parts of `a` that are in `b` too. Both normalized. */
export function intersectRanges(a: readonly HashRange[], b: readonly HashRange[]): HashRange[] {
  const result: HashRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const left = a[i] as HashRange;
    const right = b[j] as HashRange;
    // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints.
    const start = left.start > right.start ? left.start : right.start;
    // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigints.
    const end = left.end < right.end ? left.end : right.end;
    if (start < end) result.push({ start, end });
    if (left.end < right.end) i++;
    else j++;
  }
  return result;
}

/** The parts of `a` that are not in `b`. Both normalized. */
export function subtractRanges(a: readonly HashRange[], b: readonly HashRange[]): HashRange[] {
  const result: HashRange[] = [];
  let j = 0;
  for (const range of a) {
    let start = range.start;
    while (j < b.length && (b[j] as HashRange).end <= start) j++;
    let k = j;
    while (k < b.length && (b[k] as HashRange).start < range.end) {
      const cut = b[k] as HashRange;
      if (cut.start > start) result.push({ start, end: cut.start });
      if (cut.end > start) start = cut.end;
      k++;
    }
    if (start < range.end) result.push({ start, end: range.end });
  }
  return result;
}

/** Whether `point` lies in one of the normalized `ranges` (binary search: a set may hold many arcs). */
export function rangesContain(ranges: readonly HashRange[], point: bigint): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle] as HashRange;
    if (point < range.start) high = middle - 1;
    else if (point >= range.end) low = middle + 1;
    else return true;
  }
  return false;
}

export function rangesEqual(a: readonly HashRange[], b: readonly HashRange[]): boolean {
  return (
    a.length === b.length &&
    a.every((range, index) => range.start === b[index]?.start && range.end === b[index]?.end)
  );
}

/** How many hash points the normalized `ranges` cover. */
export function rangesSize(ranges: readonly HashRange[]): bigint {
  let total = 0n;
  for (const range of ranges) total += range.end - range.start;
  return total;
}

/**
 * The compact text a member lease's annotation stores its claims in: `start-end` pairs of 16 (17 for 2^64)
 * lower-case hex digits joined by `,`; `''` for none. Not the `shardSelector` grammar: an annotation is
 * read only by other replicas of the same controller, and this one is a quarter of the length.
 */
export function formatRanges(ranges: readonly HashRange[]): string {
  return ranges
    .map(
      (range) => `${range.start.toString(16).padStart(16, '0')}-${range.end.toString(16).padStart(16, '0')}`,
    )
    .join(',');
}

/**
 * Reads `formatRanges` text. Returns `undefined` for text it cannot read: a lease written by something else,
 * which ownership then treats as claiming the whole space (the only safe reading).
 */
export function parseRanges(text: string): HashRange[] | undefined {
  if (text === '') return [];
  const ranges: HashRange[] = [];
  for (const pair of text.split(',')) {
    const match = /^([0-9a-f]{1,17})-([0-9a-f]{1,17})$/.exec(pair);
    if (match === null) return undefined;
    const start = BigInt(`0x${match[1]}`);
    const end = BigInt(`0x${match[2]}`);
    if (!(start < end) || end > hashSpaceEnd) return undefined;
    ranges.push({ start, end });
  }
  return normalizeRanges(ranges);
}
