import { fnv1a64 } from '../fnv1a64.js';
import type { ShardRange } from '../shard-range.js';
import { hashSpaceEnd } from '../shard-range.js';
import { normalizeRanges } from './hash-ranges.js';

/**
 * How many points on the hash ring each member gets. Measured in `range-assignment.test.ts`: with 16, a
 * join or a leave among 1–8 members moves 0.6–1.4× the ideal share 1/(N+1), where contiguous equal slices
 * move up to 4×; the largest member holds at most ~1.6× the mean; a member's selector stays a few dozen
 * ranges long.
 */
export const defaultVirtualNodes = 16;

const mask64 = hashSpaceEnd - 1n;

/**
 * splitmix64's finalizer. FNV-1a spreads a change in the last characters of `member/3` only into the low
 * and middle bits, so ring points taken straight from it would crowd together.
 */
function mix64(value: bigint): bigint {
  let z = value & mask64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask64;
  return z ^ (z >> 31n);
}

/**
 * Splits the hash space among `members` by consistent hashing with virtual nodes: each member has
 * `virtualNodes` points on the ring and owns the arcs that start at them. The result depends only on the
 * set of members (not on their order), so replicas that see the same members compute the same split; a
 * member that joins or leaves moves only the arcs next to its own points. Every point of `[0, 2^64)` is
 * assigned to exactly one member when there is at least one.
 */
export function assignRanges(
  members: readonly string[],
  virtualNodes: number = defaultVirtualNodes,
): Map<string, ShardRange[]> {
  const unique = [...new Set(members)].sort();
  const points: { readonly position: bigint; readonly member: string }[] = [];
  for (const member of unique) {
    for (let index = 0; index < virtualNodes; index++) {
      points.push({ position: mix64(fnv1a64(`${member}/${index}`)), member });
    }
  }
  // Ties (vanishingly rare) break by member name, so every replica orders them alike.
  points.sort((a, b) =>
    a.position < b.position ? -1 : a.position > b.position ? 1 : a.member < b.member ? -1 : 1,
  );
  const assignment = new Map<string, ShardRange[]>(unique.map((member) => [member, []]));
  const last = points[points.length - 1];
  if (last === undefined) return assignment;
  for (const [index, point] of points.entries()) {
    const next = points[index + 1];
    const ranges = assignment.get(point.member) as ShardRange[];
    if (next !== undefined) ranges.push({ start: point.position, end: next.position });
  }
  // The arc from the last point wraps around through 2^64 to the first point.
  const wrapping = assignment.get(last.member) as ShardRange[];
  wrapping.push({ start: last.position, end: hashSpaceEnd });
  wrapping.push({ start: 0n, end: (points[0] as { position: bigint }).position });
  for (const [member, ranges] of assignment) assignment.set(member, normalizeRanges(ranges));
  return assignment;
}
