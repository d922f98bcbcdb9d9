import { describe, expect, it } from 'vitest';
import { InformerStoppedError } from '../errors/informer-stopped-error.js';
import { ShardSelectorError } from '../errors/shard-selector-error.js';
import { splitHashSpace } from './shard-range.js';
import type { ShardSelector } from './shard-selector.js';
import { isInShard, keepInShard, ShardTarget } from './shard-target.js';

const [lower, upper] = splitHashSpace(2) as [never, never];
const byUid = (...ranges: ShardSelector['ranges']): ShardSelector => ({
  field: 'object.metadata.uid',
  ranges,
});
const settled = async (promise: Promise<void>) => {
  let state = 'pending';
  promise.then(
    () => {
      state = 'resolved';
    },
    () => {
      state = 'rejected';
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  return state;
};

describe('ShardTarget', () => {
  it('tells the loop of a change, and resolves once a snapshot with it is applied', async () => {
    const target = new ShardTarget(byUid(lower));
    let changes = 0;
    target.onChange(() => {
      changes += 1;
    });
    const switched = target.retarget(byUid(upper));
    expect(changes).toBe(1);
    expect(target.selector).toEqual(byUid(upper));
    expect(target.wireText).toBe(
      "shardRange(object.metadata.uid, '0x8000000000000000', '0x10000000000000000')",
    );
    expect(await settled(switched)).toBe('pending');
    target.applied();
    expect(await settled(switched)).toBe('resolved');
    // The selector applied: at once, without a relist.
    expect(await settled(target.retarget(byUid(upper)))).toBe('resolved');
    expect(changes).toBe(1);
  });

  it('waits for the first snapshot even for the selector it started with, and rejects when stopped', async () => {
    const target = new ShardTarget(byUid(lower));
    let changes = 0;
    target.onChange(() => {
      changes += 1;
    });
    const same = target.retarget(byUid(lower));
    expect(changes).toBe(0);
    expect(await settled(same)).toBe('pending');
    target.stopped(new InformerStoppedError('pods'));
    await expect(same).rejects.toBeInstanceOf(InformerStoppedError);
  });

  it('tells an empty selector from the narrowest range it is sent as', () => {
    const target = new ShardTarget(byUid());
    expect(target.wireText).toBe(
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x0000000000000001')",
    );
    let changes = 0;
    target.onChange(() => {
      changes += 1;
    });
    void target.retarget(byUid({ start: 0n, end: 1n }));
    expect(changes).toBe(1);
    expect(isInShard(target, { metadata: { uid: 'any' } })).toBe(false);
  });

  it('refuses a bad selector and keeps the one it had; freezes what it keeps', () => {
    const ranges = [lower];
    const target = new ShardTarget(byUid(...ranges));
    expect(() => target.retarget(byUid({ start: 1n, end: 0n }))).toThrow(ShardSelectorError);
    expect(target.selector).toEqual(byUid(lower));
    ranges.push(upper);
    expect(target.selector.ranges).toHaveLength(1);
    expect(Object.isFrozen(target.selector.ranges)).toBe(true);
  });

  it('filters a page in place, keeping the order', () => {
    const target = new ShardTarget(byUid(upper));
    const items = Array.from({ length: 50 }, (_, index) => ({ metadata: { uid: `uid-${index}-x` } }));
    const expected = items.filter((item) => isInShard(target, item));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(50);
    const kept = keepInShard(target, items);
    expect(kept).toBe(items);
    expect(kept).toEqual(expected);
    expect(keepInShard(undefined, [...expected, ...expected])).toHaveLength(expected.length * 2);
  });
});
