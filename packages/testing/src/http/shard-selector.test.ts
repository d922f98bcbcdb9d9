import {
  formatShardSelector,
  type ShardSelector,
  shardSelectorMatches,
  splitHashSpace,
} from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer, type FakeApiServerOptions } from '../fake-api-server.js';
import { parseFeatureGates } from '../feature-gates.js';
import { generatePods } from '../fixtures/seed-cluster.js';
import { call, WatchStream } from '../test-support/http-client.js';

let server: FakeApiServer;
const streams: WatchStream[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await server?.close();
});

const [first, second, third, fourth] = splitHashSpace(4) as [never, never, never, never];
const byUid = (...ranges: ShardSelector['ranges']): ShardSelector => ({
  field: 'object.metadata.uid',
  ranges,
});
const path = '/api/v1/pods';

const namespaces = ['default', 'shop', 'kube-system', 'tenant-a', 'tenant-b', 'tenant-c'];

/** `count` pods spread over six namespaces. */
async function withPods(count: number, options: FakeApiServerOptions = {}): Promise<void> {
  server = await FakeApiServer.start({ tooLargeResourceVersionWaitMs: 20, ...options });
  namespaces.forEach((namespace, index) => {
    const share = Math.floor(count / namespaces.length) + (index < count % namespaces.length ? 1 : 0);
    if (share > 0) generatePods(server.store, { count: share, namespace });
  });
}

const names = (items: { metadata: { namespace: string; name: string } }[]) =>
  items.map(({ metadata }) => `${metadata.namespace}/${metadata.name}`).sort();

function truth(selector: ShardSelector): string[] {
  return names(server.store.list('pods').filter((pod) => shardSelectorMatches(selector, pod)) as never);
}

const query = (selector: ShardSelector | string) =>
  `shardSelector=${encodeURIComponent(typeof selector === 'string' ? selector : formatShardSelector(selector))}`;

async function watch(url: string): Promise<WatchStream> {
  const stream = await WatchStream.open(`${server.url}${url}`);
  streams.push(stream);
  return stream;
}

describe('shardSelector on lists', () => {
  it('lists only the selected objects and echoes the selector as the server prints it', async () => {
    await withPods(60);
    const selector = byUid(second);
    const spelled = `(shardRange(object . metadata . uid, "${formatShardSelector(selector).split("'")[1]}", '${formatShardSelector(selector).split("'")[3]}'))`;
    const { status, json } = await call(`${server.url}${path}?${query(spelled)}`);
    expect(status).toBe(200);
    expect(names(json.items)).toEqual(truth(selector));
    expect(json.items.length).toBeGreaterThan(5);
    expect(json.items.length).toBeLessThan(30);
    expect(json.metadata.shardInfo).toEqual({ selector: formatShardSelector(selector) });
  });

  it('paginates with continue tokens, without remainingItemCount, every page echoing shardInfo', async () => {
    await withPods(80);
    const selector = byUid(first, third);
    const collected: string[] = [];
    let continueToken: string | undefined;
    let pages = 0;
    do {
      const tail = continueToken === undefined ? '' : `&continue=${encodeURIComponent(continueToken)}`;
      const { json } = await call(`${server.url}${path}?limit=6&${query(selector)}${tail}`);
      collected.push(...names(json.items));
      expect(json.metadata.remainingItemCount).toBeUndefined();
      expect(json.metadata.shardInfo).toEqual({ selector: formatShardSelector(selector) });
      continueToken = json.metadata.continue;
      pages += 1;
    } while (continueToken !== undefined && pages < 100);
    expect(pages).toBeGreaterThan(2);
    expect(collected.sort()).toEqual(truth(selector));
    // `||` of ranges is their union.
    expect(truth(selector)).toEqual([...truth(byUid(first)), ...truth(byUid(third))].sort());
  });

  it('shards by namespace too', async () => {
    await withPods(30);
    const selector: ShardSelector = { field: 'object.metadata.namespace', ranges: [fourth] };
    const { json } = await call(`${server.url}${path}?${query(selector)}`);
    expect(names(json.items)).toEqual(truth(selector));
  });

  it.each([
    [
      "shardRange(object.metadata.uid, '0x0', '0x8000000000000000')",
      `hexStart must be a 0x-prefixed 16-digit hex value, got "0x0" (did you mean "0x0000000000000000"?)`,
    ],
    [
      "shardRange(metadata.uid, '0x0000000000000000', '0x8000000000000000')",
      'unsupported field path "metadata.uid"; supported: object.metadata.uid, object.metadata.namespace',
    ],
    [' ', 'empty shard selector is not allowed; omit the parameter for unfiltered lists'],
  ])('refuses %j on lists and watches as the API server does (500, no reason)', async (text, reason) => {
    await withPods(1);
    for (const tail of ['', '&watch=true']) {
      const { status, json } = await call(`${server.url}${path}?${query(text)}${tail}`);
      expect(status).toBe(500);
      expect(json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `invalid shard selector: ${reason}`,
        code: 500,
      });
    }
  });
});

describe('shardSelector on watches', () => {
  it('sends only the selected objects: live events, bookmarks, resumption and streaming lists', async () => {
    await withPods(40);
    const selector = byUid(second, fourth);
    const from = server.resourceVersion;
    const live = await watch(
      `${path}?watch=true&allowWatchBookmarks=true&resourceVersion=${from}&${query(selector)}`,
    );
    for (let index = 0; index < 40; index++)
      generatePods(server.store, { count: 1, prefix: `late-${index}` });
    const lateTruth = truth(selector).filter((key) => key.includes('/late-'));
    expect(lateTruth.length).toBeGreaterThan(5);
    const events = await live.take(lateTruth.length);
    expect(events.every((event) => event.type === 'ADDED')).toBe(true);
    expect(names(events.map((event) => event.object))).toEqual(lateTruth);
    server.watches.sendBookmarks();
    const bookmark = await live.next();
    expect(bookmark).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: server.resourceVersion } },
    });
    expect(live.pending).toBe(0);

    // Resuming from the old version replays the history, filtered alike.
    const resumed = await watch(`${path}?watch=true&resourceVersion=${from}&${query(selector)}`);
    expect(names((await resumed.take(lateTruth.length)).map((event) => event.object))).toEqual(lateTruth);

    // A streaming list: the selected objects, then the initial-events-end bookmark.
    const streaming = await watch(
      `${path}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&${query(selector)}`,
    );
    const all = truth(selector);
    const initial = await streaming.take(all.length + 1);
    expect(names(initial.slice(0, -1).map((event) => event.object))).toEqual(all);
    expect(initial.at(-1)).toMatchObject({
      type: 'BOOKMARK',
      object: { metadata: { annotations: { 'k8s.io/initial-events-end': 'true' } } },
    });

    // Deletes of selected objects arrive, those of others do not.
    for (const key of server.store
      .list('pods')
      .map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`))
      server.store.delete('pods', key);
    const deletes = await live.take(all.length);
    expect(deletes.every((event) => event.type === 'DELETED')).toBe(true);
    expect(names(deletes.map((event) => event.object))).toEqual(all);
  });
});

describe('a server without the ShardedListAndWatch gate', () => {
  it('ignores the parameter, however malformed, and sends no shardInfo; the gate switches at run time', async () => {
    await withPods(20, { featureGates: { ShardedListAndWatch: false } });
    expect(server.featureGates.ShardedListAndWatch).toBe(false);
    for (const text of [formatShardSelector(byUid(first)), 'not a selector']) {
      const { status, json } = await call(`${server.url}${path}?${query(text)}`);
      expect(status).toBe(200);
      expect(json.items).toHaveLength(20);
      expect(json.metadata.shardInfo).toBeUndefined();
    }
    server.featureGates.ShardedListAndWatch = true;
    const { json } = await call(`${server.url}${path}?${query(byUid(first))}`);
    expect(names(json.items)).toEqual(truth(byUid(first)));
  });

  it('is switched by the control path and parsed from --feature-gates as kube-apiserver spells it', async () => {
    server = await FakeApiServer.start({ control: true });
    const { json } = await call(`${server.url}/_fake/feature-gates`, {
      method: 'POST',
      body: { ShardedListAndWatch: false },
    });
    expect(json).toEqual({ ShardedListAndWatch: false });
    expect(server.featureGates.ShardedListAndWatch).toBe(false);
    expect(
      (await call(`${server.url}/_fake/feature-gates`, { method: 'POST', body: { Nope: true } })).status,
    ).toBe(400);
    expect(parseFeatureGates('ShardedListAndWatch=false')).toEqual({ ShardedListAndWatch: false });
    expect(parseFeatureGates(' ShardedListAndWatch = true ,')).toEqual({ ShardedListAndWatch: true });
    expect(() => parseFeatureGates('Nope=true')).toThrow(/unrecognized feature gate/);
    expect(() => parseFeatureGates('ShardedListAndWatch=yes')).toThrow(/must be true or false/);
  });
});

describe('shardSelector on deletecollection', () => {
  it('deletes the selected objects of the namespace only', async () => {
    await withPods(30);
    const selector = byUid(first, second);
    const deleted = truth(selector).filter((key) => key.startsWith('default/'));
    const expected = truth(byUid(first, second, third, fourth)).filter((key) => !deleted.includes(key));
    const { status, json } = await call(`${server.url}/api/v1/namespaces/default/pods?${query(selector)}`, {
      method: 'DELETE',
    });
    expect(status).toBe(200);
    expect(names(json.items)).toEqual(deleted);
    expect(deleted.length).toBeGreaterThan(0);
    expect(names(server.store.list('pods') as never)).toEqual(expected);
  });
});
