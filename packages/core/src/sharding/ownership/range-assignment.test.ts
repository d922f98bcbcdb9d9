import { describe, expect, it } from 'vitest';
import type { ShardRange } from '../shard-range.js';
import { hashSpaceEnd, splitHashSpace } from '../shard-range.js';
import { intersectRanges, rangesSize, subtractRanges, unionRanges } from './hash-ranges.js';
import { assignRanges } from './range-assignment.js';

type Assign = (members: readonly string[]) => Map<string, ShardRange[]>;

const consistent =
  (virtualNodes: number): Assign =>
  (members) =>
    assignRanges(members, virtualNodes);
/** The alternative measured: the sorted members take equal contiguous slices. */
const contiguous: Assign = (members) => {
  const sorted = [...members].sort();
  const slices = splitHashSpace(sorted.length);
  return new Map(sorted.map((member, index) => [member, [slices[index] as ShardRange]]));
};

/** The share of the hash space whose owner differs between two assignments. */
function moved(before: Map<string, ShardRange[]>, after: Map<string, ShardRange[]>): number {
  let kept = 0n;
  for (const [member, ranges] of before) kept += rangesSize(intersectRanges(ranges, after.get(member) ?? []));
  return Number(hashSpaceEnd - kept) / Number(hashSpaceEnd);
}

function largestShare(assignment: Map<string, ShardRange[]>): number {
  let largest = 0n;
  for (const ranges of assignment.values()) if (rangesSize(ranges) > largest) largest = rangesSize(ranges);
  return (Number(largest) / Number(hashSpaceEnd)) * assignment.size;
}

const names = (count: number) => Array.from({ length: count }, (_, index) => `controller-7c9d5-${index}`);

describe('assignRanges', () => {
  it('gives every hash point to exactly one member, whatever the order of the members', () => {
    for (const count of [1, 2, 3, 5, 8]) {
      const assignment = assignRanges(names(count));
      let union: ShardRange[] = [];
      let total = 0n;
      for (const ranges of assignment.values()) {
        union = unionRanges(union, ranges);
        total += rangesSize(ranges);
      }
      expect(union).toEqual([{ start: 0n, end: hashSpaceEnd }]);
      expect(total).toBe(hashSpaceEnd); // no overlap
      expect(assignRanges([...names(count)].reverse())).toEqual(assignment);
    }
    expect(assignRanges([])).toEqual(new Map());
  });

  it('moves little on a join or a leave: measured against contiguous splits', () => {
    const rows: string[] = [];
    const worst = { consistent: 0, contiguous: 0 };
    for (let count = 1; count < 8; count++) {
      const ideal = 1 / (count + 1);
      const measure = (assign: Assign) => ({
        join: moved(assign(names(count)), assign(names(count + 1))) / ideal,
        // The member leaving is one in the middle of the sorted order, the usual case.
        leave:
          moved(assign(names(count + 1)), assign(names(count + 1).filter((_, i) => i !== count >> 1))) /
          ideal,
        balance: largestShare(assign(names(count + 1))),
      });
      const ring = measure(consistent(16));
      const slices = measure(contiguous);
      worst.consistent = Math.max(worst.consistent, ring.join, ring.leave);
      worst.contiguous = Math.max(worst.contiguous, slices.join, slices.leave);
      rows.push(
        `${count}→${count + 1}: ring(16) join ${ring.join.toFixed(2)}× leave ${ring.leave.toFixed(2)}× largest ${ring.balance.toFixed(2)}× mean | contiguous join ${slices.join.toFixed(2)}× leave ${slices.leave.toFixed(2)}×`,
      );
      expect(ring.balance).toBeLessThan(1.8);
    }
    console.log(`movement as a multiple of the ideal 1/(N+1):\n${rows.join('\n')}`);
    // Consistent hashing moves only the arcs next to the member's points, the ideal share give or take
    // the imbalance; contiguous slices shift every boundary.
    expect(worst.consistent).toBeLessThan(1.8);
    expect(worst.contiguous).toBeGreaterThan(2 * worst.consistent);
  });

  it('keeps what stays put on a join: only the newcomer gains', () => {
    const before = assignRanges(names(3));
    const after = assignRanges(names(4));
    for (const [member, ranges] of before) {
      expect(subtractRanges(after.get(member) ?? [], ranges)).toEqual([]);
    }
  });
});
