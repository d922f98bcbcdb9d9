import { afterEach, describe, expect, it } from 'vitest';
import { InformerStoppedError } from '../errors/informer-stopped-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { ShardSelectorError } from '../errors/shard-selector-error.js';
import type { Transport } from '../protocol/transport.js';
import { splitHashSpace } from '../sharding/shard-range.js';
import { formatShardSelector, type ShardSelector, shardSelectorMatches } from '../sharding/shard-selector.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { createInformerFactory } from './informer-factory.js';

const controllers: AbortController[] = [];
function signal(): AbortSignal {
  const controller = new AbortController();
  controllers.push(controller);
  return controller.signal;
}
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.abort();
});

const [lowerHalf, upperHalf] = splitHashSpace(2) as [never, never];
const byUid = (...ranges: ShardSelector['ranges']): ShardSelector => ({
  field: 'object.metadata.uid',
  ranges,
});

function apiWithPods(count: number, shardedListAndWatch = true): InMemoryApi {
  const api = new InMemoryApi();
  api.shardedListAndWatch = shardedListAndWatch;
  for (let index = 0; index < count; index++) api.create(testPods, { metadata: { name: `pod-${index}` } });
  return api;
}

const keys = (objects: readonly { metadata?: { namespace?: string; name?: string } }[]) =>
  objects.map(({ metadata }) => `${metadata?.namespace}/${metadata?.name}`).sort();

function truth(api: InMemoryApi, selector: ShardSelector): string[] {
  return keys(api.list(testPods).filter((pod) => shardSelectorMatches(selector, pod)));
}

describe('an informer with a shard selector', () => {
  it.each([
    ['a server with the feature', true, 'server'],
    ['a server without it', false, 'client'],
  ] as const)('holds exactly its ranges on %s, and says who filtered', async (_, feature, sharding) => {
    const api = apiWithPods(40, feature);
    const clock = new ManualClock();
    const selector = byUid(upperHalf);
    const factory = createInformerFactory(api, { clock, pageSize: 7 });
    const informer = factory.informerFor(testPods, { shardSelector: selector });
    factory.start(signal());
    await informer.whenSynced(AbortSignal.timeout(5000));
    const expected = truth(api, selector);
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(35);
    expect(keys(informer.store.list())).toEqual(expected);
    expect(informer.health().sharding).toBe(sharding);

    // Changes after the sync: only those of the selector's objects are applied.
    await settle(() => api.openWatches === 1, { clock });
    for (let index = 40; index < 80; index++) api.create(testPods, { metadata: { name: `pod-${index}` } });
    for (const pod of api.list(testPods).slice(0, 10)) api.delete(testPods, `default/${pod.metadata?.name}`);
    await settle(() => keys(informer.store.list()).join() === truth(api, selector).join(), { clock });

    const text = formatShardSelector(selector);
    const sent = api.requests.map((request) => request.query?.shardSelector);
    expect(sent.every((value) => value === text)).toBe(true);
    expect(api.requests.some((request) => request.query?.watch === 'true')).toBe(true);
    expect(api.requests.filter((request) => request.query?.continue !== undefined).length).toBeGreaterThan(0);
  });

  it('filters a streaming list and its watch the same way, and says the server never confirmed it', async () => {
    for (const feature of [true, false]) {
      const api = apiWithPods(30, feature);
      const clock = new ManualClock();
      const selector = byUid(lowerHalf);
      const factory = createInformerFactory(api, { clock, streamingInitialList: true });
      const informer = factory.informerFor(testPods, { shardSelector: selector });
      factory.start(signal());
      await informer.whenSynced(AbortSignal.timeout(5000));
      expect(keys(informer.store.list())).toEqual(truth(api, selector));
      expect(informer.health().sharding).toBe('client');
      expect(api.requests[0]?.query).toMatchObject({
        sendInitialEvents: 'true',
        shardSelector: formatShardSelector(selector),
      });
      await factory.shutdown();
    }
  });

  it('is part of the informer identity in the factory', () => {
    const factory = createInformerFactory(new InMemoryApi());
    const unsharded = factory.informerFor(testPods);
    const upper = factory.informerFor(testPods, { shardSelector: byUid(upperHalf) });
    expect(upper).not.toBe(unsharded);
    expect(factory.informerFor(testPods, { shardSelector: formatShardSelector(byUid(upperHalf)) })).toBe(
      upper,
    );
    expect(factory.informerFor(testPods, { shardSelector: byUid(lowerHalf) })).not.toBe(upper);
    expect(factory.informerFor(testPods, { shardSelector: byUid() })).not.toBe(
      factory.informerFor(testPods, { shardSelector: byUid({ start: 0n, end: 1n }) }),
    );
    expect(Object.keys(factory.health().informers)).toContain(
      `pods (${formatShardSelector(byUid(upperHalf))})`,
    );
    expect(() =>
      factory.informerFor(testPods, { shardSelector: "shardRange(metadata.uid, '0x0', '0x1')" }),
    ).toThrow(ShardSelectorError);
  });

  it('holds nothing with no range, though the wire cannot say so', async () => {
    const api = apiWithPods(20);
    const factory = createInformerFactory(api, { clock: new ManualClock() });
    const informer = factory.informerFor(testPods, { shardSelector: byUid() });
    factory.start(signal());
    await informer.whenSynced(AbortSignal.timeout(5000));
    expect(informer.store.list()).toEqual([]);
    expect(api.requests[0]?.query?.shardSelector).toBe(
      "shardRange(object.metadata.uid, '0x0000000000000000', '0x0000000000000001')",
    );
  });
});

describe('SharedInformer.setShardSelector', () => {
  it('re-targets without a gap: the old ranges are served until the new list replaces them', async () => {
    const api = apiWithPods(60);
    const clock = new ManualClock();
    const [first, second, third] = splitHashSpace(3) as [never, never, never];
    // Holds back every continuation page while `gate` is set, to look at the cache in mid-relist.
    let gate: Promise<void> | undefined;
    const gated: Transport = {
      request: async (request) => {
        if (request.query?.continue !== undefined) await gate;
        return api.request(request);
      },
    };
    const factory = createInformerFactory(gated, { clock, pageSize: 5 });
    const before = byUid(first, second);
    const after = byUid(second, third);
    const informer = factory.informerFor(testPods, { shardSelector: before });
    const events: string[] = [];
    informer.addEventHandler({
      onAdd: (pod) => {
        events.push(`add ${pod.metadata?.name}`);
      },
      onDelete: (pod, { finalStateUnknown }) => {
        events.push(`delete ${pod.metadata?.name} ${finalStateUnknown}`);
      },
      onUpdate: (_, pod) => {
        events.push(`update ${pod.metadata?.name}`);
      },
    });
    factory.start(signal());
    await informer.whenSynced(AbortSignal.timeout(5000));
    await settle(() => api.openWatches === 1, { clock });
    expect(keys(informer.store.list())).toEqual(truth(api, before));
    events.length = 0;
    const requestsBefore = api.requests.length;

    let open = () => {};
    gate = new Promise((resolve) => {
      open = resolve;
    });
    let resolved = false;
    const applied = informer.setShardSelector(after).then(() => {
      resolved = true;
    });
    expect(informer.shardSelector).toEqual(after);
    // Until the new list is complete, the cache still holds the old ranges, whole.
    await settle(() =>
      api.requests.slice(requestsBefore).some((request) => request.query?.limit !== undefined),
    );
    await settle(() => false, { maxTurns: 5 }).catch(() => undefined);
    expect(resolved).toBe(false);
    expect(keys(informer.store.list())).toEqual(truth(api, before));
    open();
    await applied;
    expect(resolved).toBe(true);
    expect(keys(informer.store.list())).toEqual(truth(api, after));

    // Gained objects arrived as adds, given-up ones as deletes; the shared range saw nothing.
    const name = (key: string) => key.split('/')[1];
    const gained = truth(api, byUid(third)).map(name);
    const lost = truth(api, byUid(first)).map(name);
    expect(
      events
        .filter((event) => event.startsWith('add'))
        .map((event) => event.split(' ')[1])
        .sort(),
    ).toEqual([...gained].sort());
    expect(events.filter((event) => event.startsWith('delete')).sort()).toEqual(
      lost.map((pod) => `delete ${pod} true`).sort(),
    );
    expect(events.some((event) => event.startsWith('update'))).toBe(false);

    // The relist and the watch after it asked for the new ranges.
    const text = formatShardSelector(after);
    const later = api.requests.slice(requestsBefore);
    expect(later[0]?.query?.watch).toBeUndefined();
    expect(later.every((request) => request.query?.shardSelector === text)).toBe(true);
    await settle(() => api.openWatches === 1, { clock });
    api.create(testPods, { metadata: { name: 'late' } });
    await settle(() => keys(informer.store.list()).join() === truth(api, after).join(), { clock });
  });

  it('resolves at once for the selector held, and the latest of several changes wins', async () => {
    const api = apiWithPods(30);
    const clock = new ManualClock();
    const factory = createInformerFactory(api, { clock });
    const informer = factory.informerFor(testPods, { shardSelector: byUid(lowerHalf) });
    factory.start(signal());
    await informer.whenSynced(AbortSignal.timeout(5000));
    await informer.setShardSelector(byUid(lowerHalf));
    const requests = api.requests.length;
    await settle(() => api.requests.length > requests || api.openWatches === 1, { clock });
    const toUpper = informer.setShardSelector(byUid(upperHalf));
    const toAll = informer.setShardSelector(byUid(lowerHalf, upperHalf));
    await Promise.all([toUpper, toAll]);
    expect(keys(informer.store.list())).toEqual(keys(api.list(testPods)));
    expect(factory.informerFor(testPods, { shardSelector: byUid(lowerHalf, upperHalf) })).toBe(informer);
  });

  it('refuses unsharded informers and bad ranges, changing nothing, and rejects when the informer stops', async () => {
    // A server that never answers: the informer cannot apply anything before it stops.
    const silent: Transport = {
      request: ({ signal }) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
    };
    const factory = createInformerFactory(silent, { clock: new ManualClock() });
    expect(() => factory.informerFor(testPods).setShardSelector(byUid(lowerHalf))).toThrow(
      InvalidOptionError,
    );
    const informer = factory.informerFor(testPods, { shardSelector: byUid(lowerHalf) });
    expect(() => informer.setShardSelector(byUid({ start: 3n, end: 2n }))).toThrow(ShardSelectorError);
    expect(informer.shardSelector).toEqual(byUid(lowerHalf));
    const pending = informer.setShardSelector(byUid(upperHalf));
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    stop.abort();
    await running;
    await expect(pending).rejects.toBeInstanceOf(InformerStoppedError);
  });
});
