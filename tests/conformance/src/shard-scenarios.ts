import {
  createInformerFactory,
  fnv1a64,
  formatShardSelector,
  type ShardSelector,
  splitHashSpace,
} from '@kubeinformers/core';
import { expect } from 'vitest';
import { asList, keys, type ListWatchScenario, scenario, sequence } from './list-watch-scenario.js';
import { configMaps } from './test-support/list-watch-driver.js';
import type { NormalizedList, NormalizedStatus } from './test-support/normalized-response.js';

// Sharded list and watch (Kubernetes 1.36, KEP-5866). Uids differ between the fakes, namespaces do not:
// exact outcomes shard by namespace, whose FNV-1a hashes are known (computed independently):
//   kube-node-lease 0x021fb6dd71b80174 (quarter 0), kube-public 0x917fb081f1a65f5a (quarter 2),
//   kube-system 0xdf65c7bc1d82b35e and default 0xebada5168620c5fe (quarter 3).
// Uid sharding is checked against the hash of each fake's own uids.

const [, , thirdQuarter, fourthQuarter] = splitHashSpace(4) as [never, never, never, never];
const byNamespace = (...ranges: ShardSelector['ranges']): ShardSelector => ({
  field: 'object.metadata.namespace',
  ranges,
});
const shardQuery = (selector: ShardSelector | string) => ({
  shardSelector: typeof selector === 'string' ? selector : formatShardSelector(selector),
});
const kubeSystem = 0xdf65c7bc1d82b35en;
const defaultNamespace = 0xebada5168620c5fen;

function createSpread(session: Parameters<ListWatchScenario['run']>[0]): void {
  session.create({ name: 'a' });
  session.create({ name: 'b' });
  session.create({ namespace: 'kube-system', name: 'c' });
  session.create({ namespace: 'kube-public', name: 'd' });
  session.create({ namespace: 'kube-node-lease', name: 'e' });
  session.create({ namespace: 'kube-node-lease', name: 'f' });
}

export const shardScenarios: readonly ListWatchScenario[] = [
  scenario(
    'a shard selector lists its ranges (|| of ranges, exact bounds), echoes it normalized, and paginates',
    async (session) => {
      createSpread(session);
      const selections: Record<string, Record<string, string>> = {
        lastQuarter: shardQuery(byNamespace(fourthQuarter)),
        // Spelled loosely (double quotes, parentheses, no spaces): the echo is the normalized form.
        firstOrThird: shardQuery(
          `shardRange(object.metadata.namespace,"0x0000000000000000",'0x4000000000000000') || (shardRange(object.metadata.namespace, '0x8000000000000000', '0xc000000000000000'))`,
        ),
        exactHash: shardQuery(byNamespace({ start: kubeSystem, end: kubeSystem + 1n })),
        endIsExclusive: shardQuery(byNamespace({ start: kubeSystem + 1n, end: defaultNamespace })),
        endIncluded: shardQuery(byNamespace({ start: kubeSystem + 1n, end: defaultNamespace + 1n })),
        paginated: { ...shardQuery(byNamespace(fourthQuarter)), limit: '1' },
      };
      const lists: Record<string, NormalizedList> = {};
      for (const [name, query] of Object.entries(selections))
        lists[name] = asList((await session.list({ query })).outcome);
      return lists;
    },
    (lists) => {
      expect(
        Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, keys(list.items)])),
      ).toEqual({
        lastQuarter: ['default/a', 'default/b', 'kube-system/c'],
        firstOrThird: ['kube-node-lease/e', 'kube-node-lease/f', 'kube-public/d'],
        exactHash: ['kube-system/c'],
        endIsExclusive: [],
        endIncluded: ['default/a', 'default/b'],
        paginated: ['default/a'],
      });
      expect(lists.firstOrThird?.shardInfo).toBe(
        "shardRange(object.metadata.namespace, '0x0000000000000000', '0x4000000000000000') || shardRange(object.metadata.namespace, '0x8000000000000000', '0xc000000000000000')",
      );
      expect(lists.exactHash?.shardInfo).toBe(
        "shardRange(object.metadata.namespace, '0xdf65c7bc1d82b35e', '0xdf65c7bc1d82b35f')",
      );
      // A filtered page cannot count what is left cheaply: no remainingItemCount, as with selectors.
      expect(lists.paginated).toMatchObject({
        continues: true,
        shardInfo: formatShardSelector(byNamespace(fourthQuarter)),
      });
      expect(lists.paginated?.remainingItemCount).toBeUndefined();
    },
  ),

  scenario(
    'uid shards split the objects: each in exactly the shard its uid hashes to',
    async (session) => {
      for (let index = 0; index < 24; index++) session.create({ name: `object-${index}` });
      const shards = splitHashSpace(4);
      const listed: string[][] = [];
      for (const range of shards) {
        const list = asList(
          (await session.list({ query: shardQuery({ field: 'object.metadata.uid', ranges: [range] }) }))
            .outcome,
        );
        listed.push(keys(list.items));
      }
      const expected = shards.map((range) =>
        [...session.uids]
          .filter(([, uid]) => fnv1a64(uid) >= range.start && fnv1a64(uid) < range.end)
          .map(([key]) => key)
          .sort(),
      );
      return {
        asHashed: listed.every((shard, index) => shard.join() === expected[index]?.join()),
        total: listed.flat().length,
        distinct: new Set(listed.flat()).size,
      };
    },
    (outcome) => {
      expect(outcome).toEqual({ asHashed: true, total: 24, distinct: 24 });
    },
  ),

  scenario(
    'a sharded watch sends its ranges only: live events, bookmarks, resumption and the streaming list',
    async (session) => {
      session.create({ name: 'a' });
      const from = session.create({ namespace: 'kube-public', name: 'b' });
      const query = { ...shardQuery(byNamespace(fourthQuarter)), allowWatchBookmarks: 'true' };
      const live = await session.watch({ query: { ...query, resourceVersion: from } });
      session.create({ namespace: 'kube-node-lease', name: 'x' });
      session.create({ name: 'y' });
      session.update({ name: 'a', data: { version: 'second' } });
      session.delete('kube-public/b');
      session.delete('default/y');
      session.sendBookmarks();
      const liveEvents = await live.next(4);
      const resumed = await session.watch({ query: { ...query, resourceVersion: from } });
      const resumedEvents = await resumed.next(3);
      const streaming = await session.watch({
        query: { ...query, sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan' },
      });
      const streamed = await streaming.next(2);
      return { live: sequence(liveEvents), resumed: sequence(resumedEvents), streamed };
    },
    ({ live, resumed, streamed }) => {
      expect(live).toEqual([
        ['ADDED', 'default/y', 'write 4'],
        ['MODIFIED', 'default/a', 'write 5'],
        ['DELETED', 'default/y', 'write 7'],
        ['BOOKMARK', 'write 7'],
      ]);
      expect(resumed).toEqual(live.slice(0, 3));
      expect(sequence(streamed)).toEqual([
        ['ADDED', 'default/a', 'write 5'],
        ['BOOKMARK', 'write 7'],
      ]);
      expect(streamed[1]).toMatchObject({ annotations: { 'k8s.io/initial-events-end': 'true' } });
    },
  ),

  scenario(
    'an invalid shard selector is refused as the API server refuses it: 500, no reason, its parser message',
    async (session) => {
      session.create({ name: 'a' });
      const selectors = [
        "shardRange(object.metadata.uid, '0x0', '0x8000000000000000')",
        "shardRange(object.metadata.name, '0x0000000000000000', '0x8000000000000000')",
        "shardRange(object.metadata.uid, '0x8000000000000000', '0x0000000000000000')",
      ];
      const outcomes: (NormalizedStatus | undefined)[] = [];
      for (const selector of selectors) {
        outcomes.push((await session.list({ query: shardQuery(selector) })).outcome as NormalizedStatus);
        outcomes.push((await session.watch({ query: shardQuery(selector) })).refusal);
      }
      return outcomes;
    },
    (outcomes) => {
      const messages = [
        'invalid shard selector: hexStart must be a Nx-prefixed N-digit hex value, got "NxN" (did you mean "NxN"?)',
        'invalid shard selector: unsupported field path "object.metadata.name"; supported: object.metadata.uid, object.metadata.namespace',
        'invalid shard selector: shard range start NxN must be less than end NxN',
      ];
      expect(outcomes).toEqual(
        messages.flatMap((messagePattern) => {
          const status = {
            status: 500,
            kind: 'Status',
            code: 500,
            reason: 'undefined',
            messagePattern,
            continues: false,
          };
          return [status, status];
        }),
      );
    },
  ),

  scenario(
    'without the ShardedListAndWatch gate the parameter is ignored, malformed or not, and no shardInfo is sent',
    async (session) => {
      createSpread(session);
      session.driver.setShardedListAndWatch(false);
      const valid = asList((await session.list({ query: shardQuery(byNamespace(thirdQuarter)) })).outcome);
      const malformed = asList((await session.list({ query: shardQuery('not a selector') })).outcome);
      const watch = await session.watch({
        query: { ...shardQuery(byNamespace(thirdQuarter)), resourceVersion: '0' },
      });
      const watched = sequence(await watch.next(6));
      session.driver.setShardedListAndWatch(true);
      const enabled = asList((await session.list({ query: shardQuery(byNamespace(thirdQuarter)) })).outcome);
      return { valid, malformed, watched, enabled: keys(enabled.items) };
    },
    ({ valid, malformed, watched, enabled }) => {
      expect(keys(valid.items)).toHaveLength(6);
      expect(valid.shardInfo).toBeUndefined();
      expect(keys(malformed.items)).toEqual(keys(valid.items));
      expect(watched.map(([type]) => type)).toEqual(['ADDED', 'ADDED', 'ADDED', 'ADDED', 'ADDED', 'ADDED']);
      expect(enabled).toEqual(['kube-public/d']);
    },
  ),

  scenario(
    'a sharded informer holds the same objects with and without the gate, and its health says who filtered',
    async (session) => {
      createSpread(session);
      const outcome: Record<string, { keys: string[]; sharding: string | undefined }> = {};
      for (const gate of [true, false]) {
        session.driver.setShardedListAndWatch(gate);
        const factory = createInformerFactory(session.driver.transport, {
          pageSize: 2,
          onError: () => undefined,
        });
        const informer = factory.informerFor(configMaps, {
          shardSelector: byNamespace(fourthQuarter, thirdQuarter),
        });
        const controller = new AbortController();
        factory.start(controller.signal);
        await informer.whenSynced(AbortSignal.timeout(5000));
        const held = informer.store
          .list()
          .map((object) => `${object.metadata?.namespace}/${object.metadata?.name}`);
        outcome[gate ? 'server' : 'fallback'] = { keys: held.sort(), sharding: informer.health().sharding };
        controller.abort();
        await factory.shutdown();
      }
      return outcome;
    },
    (outcome) => {
      const expected = ['default/a', 'default/b', 'kube-public/d', 'kube-system/c'];
      expect(outcome).toEqual({
        server: { keys: expected, sharding: 'server' },
        fallback: { keys: expected, sharding: 'client' },
      });
    },
  ),
];
