import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test-support/seeded-random.js';
import type { ShardRange } from '../shard-range.js';
import {
  formatRanges,
  intersectRanges,
  normalizeRanges,
  parseRanges,
  rangesContain,
  subtractRanges,
  unionRanges,
} from './hash-ranges.js';

/** Small ranges over [0, 64) so every point can be checked one by one. */
function randomRanges(random: () => number): ShardRange[] {
  return Array.from({ length: Math.floor(random() * 5) }, () => {
    const start = BigInt(Math.floor(random() * 64));
    return { start, end: start + BigInt(Math.floor(random() * 20)) };
  });
}

describe('hash range sets', () => {
  const seed = Date.now() % 1_000_000;
  it(`agree point by point with plain set arithmetic (seed ${seed})`, () => {
    const random = seededRandom(seed);
    for (let round = 0; round < 500; round++) {
      const a = normalizeRanges(randomRanges(random));
      const b = normalizeRanges(randomRanges(random));
      const union = unionRanges(a, b);
      const both = intersectRanges(a, b);
      const difference = subtractRanges(a, b);
      for (const set of [a, b, union, both, difference]) expect(normalizeRanges(set)).toEqual(set);
      for (let point = 0n; point < 90n; point++) {
        const inA = rangesContain(a, point);
        const inB = rangesContain(b, point);
        expect(rangesContain(union, point), `seed ${seed}`).toBe(inA || inB);
        expect(rangesContain(both, point), `seed ${seed}`).toBe(inA && inB);
        expect(rangesContain(difference, point), `seed ${seed}`).toBe(inA && !inB);
      }
    }
  });

  it('round-trips the claims annotation and refuses what it cannot read', () => {
    const ranges = [
      { start: 0n, end: 0x8000000000000000n },
      { start: 0xc000000000000000n, end: 1n << 64n },
    ];
    const text = formatRanges(ranges);
    expect(text).toBe('0000000000000000-8000000000000000,c000000000000000-10000000000000000');
    expect(parseRanges(text)).toEqual(ranges);
    expect(parseRanges('')).toEqual([]);
    for (const bad of ['x', '5-3', '0-20000000000000000', '0-1;', '0-1,,2-3']) {
      expect(parseRanges(bad)).toBeUndefined();
    }
  });
});
