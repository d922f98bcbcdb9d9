import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { ShardSelectorError } from '../errors/shard-selector-error.js';
import { fnv1a64 } from './fnv1a64.js';
import { parseShardSelector } from './parse-shard-selector.js';
import { hashSpaceEnd, splitHashSpace } from './shard-range.js';
import { formatShardSelector, shardSelectorMatches } from './shard-selector.js';

describe('splitHashSpace', () => {
  it('splits into contiguous equal ranges that print as upstream documents them', () => {
    const four = splitHashSpace(4).map((range) =>
      formatShardSelector({ field: 'object.metadata.uid', ranges: [range] }),
    );
    expect(four).toEqual([
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x4000000000000000')",
      "shardRange(object.metadata.uid, '0x4000000000000000', '0x8000000000000000')",
      "shardRange(object.metadata.uid, '0x8000000000000000', '0xc000000000000000')",
      "shardRange(object.metadata.uid, '0xc000000000000000', '0x10000000000000000')",
    ]);
  });

  it('gives the remainder to the last range and covers the space without gaps', () => {
    for (const count of [1, 3, 7, 1000]) {
      const ranges = splitHashSpace(count);
      expect(ranges).toHaveLength(count);
      expect(ranges[0]?.start).toBe(0n);
      expect(ranges.at(-1)?.end).toBe(hashSpaceEnd);
      const width = hashSpaceEnd / BigInt(count);
      ranges.forEach((range, index) => {
        if (index > 0) expect(range.start).toBe(ranges[index - 1]?.end);
        expect(range.end - range.start).toBe(
          index === count - 1 ? width + (hashSpaceEnd % BigInt(count)) : width,
        );
      });
    }
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses %d shards with a typed error', (count) => {
    expect(() => splitHashSpace(count)).toThrow(InvalidOptionError);
  });
});

describe('shardSelectorMatches', () => {
  const uid = 'test-uid-12345'; // hashes to 0xd4c53b72f9287c28
  const object = { metadata: { uid, namespace: 'default' } };

  it('matches when the hash is in a range, start inclusive and end exclusive', () => {
    const hash = fnv1a64(uid);
    const select = (start: bigint, end: bigint) =>
      shardSelectorMatches({ field: 'object.metadata.uid', ranges: [{ start, end }] }, object);
    expect(select(hash, hash + 1n)).toBe(true);
    expect(select(0n, hash)).toBe(false);
    expect(select(hash + 1n, hashSpaceEnd)).toBe(false);
    expect(select(0n, hashSpaceEnd)).toBe(true);
  });

  it('matches on any of the ranges (||) and on the namespace field', () => {
    const [low, high] = splitHashSpace(2) as [never, never];
    expect(shardSelectorMatches({ field: 'object.metadata.uid', ranges: [low] }, object)).toBe(false);
    expect(shardSelectorMatches({ field: 'object.metadata.uid', ranges: [high] }, object)).toBe(true);
    expect(shardSelectorMatches({ field: 'object.metadata.uid', ranges: [low, high] }, object)).toBe(true);
    // "default" hashes to 0xebada5168620c5fe, in the upper half too; "kube-system" to 0xdf65…, upper half.
    expect(shardSelectorMatches({ field: 'object.metadata.namespace', ranges: [high] }, object)).toBe(true);
    expect(shardSelectorMatches({ field: 'object.metadata.namespace', ranges: [low] }, object)).toBe(false);
  });

  it('hashes an absent field as the empty string, as the server reads it', () => {
    const empty = fnv1a64('');
    const selector = {
      field: 'object.metadata.namespace',
      ranges: [{ start: empty, end: empty + 1n }],
    } as const;
    expect(shardSelectorMatches(selector, { metadata: { uid } })).toBe(true);
    expect(shardSelectorMatches(selector, {})).toBe(true);
  });

  it('splits objects between shards with every object in exactly one', () => {
    const shards = splitHashSpace(3).map(
      (range) => ({ field: 'object.metadata.uid', ranges: [range] }) as const,
    );
    for (let index = 0; index < 300; index++) {
      const candidate = { metadata: { uid: `uid-${index}` } };
      expect(shards.filter((shard) => shardSelectorMatches(shard, candidate))).toHaveLength(1);
    }
  });
});

describe('formatShardSelector', () => {
  it('refuses what the server would refuse, with a typed error', () => {
    expect(() => formatShardSelector({ field: 'object.metadata.uid', ranges: [] })).toThrow(
      ShardSelectorError,
    );
    expect(() =>
      formatShardSelector({ field: 'object.metadata.uid', ranges: [{ start: 5n, end: 5n }] }),
    ).toThrow(ShardSelectorError);
    expect(() =>
      formatShardSelector({ field: 'object.metadata.uid', ranges: [{ start: 0n, end: hashSpaceEnd + 1n }] }),
    ).toThrow(ShardSelectorError);
    expect(() =>
      formatShardSelector({ field: 'metadata.uid' as never, ranges: [{ start: 0n, end: 1n }] }),
    ).toThrow(ShardSelectorError);
  });

  it('prints what parses back to the same selector', () => {
    const selector = {
      field: 'object.metadata.namespace',
      ranges: [{ start: 1n, end: 0xabcn }, ...splitHashSpace(5).slice(3)],
    } as const;
    expect(parseShardSelector(formatShardSelector(selector))).toEqual(selector);
  });
});
