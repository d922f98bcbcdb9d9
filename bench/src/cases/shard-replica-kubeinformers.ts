/**
 * One replica of a sharded pods informer: its range of the uid hash space (`splitHashSpace(count)[index]`),
 * synced, then a burst of MODIFIED events on every pod of the cluster, of which the server sends this
 * replica its share (or everything, without the ShardedListAndWatch gate, and the informer drops the rest).
 * Reports the body bytes it received, its CPU time and its retained heap.
 */
import { createInformerFactory, splitHashSpace, type Transport } from '@kubeinformers/core';
import { kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';
import { cpuTime, now, runCase, settledHeap, within } from '../case-support.js';

runCase(async (config) => {
  const shard = config.shard ?? { index: 0, count: 1 };
  const range = splitHashSpace(shard.count)[shard.index];
  if (range === undefined) throw new Error(`no shard ${shard.index} of ${shard.count}`);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(config.kubeconfigPath);
  const inner = kubeConfigTransport(kubeConfig);
  let bytes = 0;
  let lists = 0;
  // Counts the response bodies as the informer reads them (after any content decoding).
  const counting: Transport = {
    async request(request) {
      if (request.query?.watch === undefined) lists += 1;
      const response = await inner.request(request);
      const body = response.body;
      return {
        ...response,
        body: (async function* () {
          for await (const chunk of body) {
            bytes += chunk.byteLength;
            yield chunk;
          }
        })(),
      };
    },
  };
  const errors: unknown[] = [];
  const factory = createInformerFactory(counting, { onError: (error) => errors.push(error) });
  const informer = factory.informerFor(pods, {
    shardSelector: { field: 'object.metadata.uid', ranges: [range] },
  });
  const control = async <T>(action: string, body: object): Promise<T> => {
    const response = await fetch(`${config.url}/_fake/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${action}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  // Warms fetch up outside the measured spans: its first call loads and compiles much of undici.
  await control('bookmarks', {});
  const heapBefore = await settledHeap();
  const controller = new AbortController();

  const syncStart = now();
  const syncCpuStart = cpuTime();
  factory.start(controller.signal);
  await within(factory.waitForCacheSync(controller.signal), 600_000, 'sync');
  const syncMs = now() - syncStart;
  const syncCpuMs = cpuTime() - syncCpuStart;
  const syncBytes = bytes;
  const objects = informer.store.size;

  // The burst: the server modifies pods round-robin (paced by the open watches), then a bookmark at its
  // final version tells this replica it has seen every event of its range.
  let events = 0;
  informer.addEventHandler({
    onUpdate: () => {
      events += 1;
    },
  });
  // The watch must be open on the server before the burst: with no watcher, the churn runs unpaced, and a
  // watch opened after more events than the server's history holds would be answered 410 (a relist).
  await within(
    (async () => {
      for (;;) {
        const state = (await (await fetch(`${config.url}/_fake/state`)).json()) as { watches: number };
        if (state.watches >= 1) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })(),
    60_000,
    'the watch to open',
  );
  const listsBeforeBurst = lists;
  const watchStart = now();
  const watchCpuStart = cpuTime();
  const { resourceVersion } = await control<{ resourceVersion: string }>('churn', {
    count: config.watchEvents,
    resource: 'pods',
  });
  // The churn resolved once every watcher's queue reached its socket: one bookmark then usually does,
  // checked locally every 10 ms and asked for again each second (polling the server would cost CPU).
  await within(
    (async () => {
      for (let tick = 0; informer.lastSyncResourceVersion !== resourceVersion; tick += 1) {
        if (tick % 100 === 0) await control('bookmarks', {});
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })(),
    600_000,
    'the burst',
  );
  const watchMs = now() - watchStart;
  const watchCpuMs = cpuTime() - watchCpuStart;
  const sharding = informer.health().sharding;

  controller.abort();
  await factory.shutdown();
  await inner.close();
  const heapHeld = await settledHeap();
  if (errors.length > 0) throw new Error(`informer reported: ${String(errors[0])}`);
  // A relist during the burst would measure something else than a watch.
  if (lists !== listsBeforeBurst)
    throw new Error(`the informer listed ${lists - listsBeforeBurst} times during the burst`);
  return {
    objects,
    syncMs,
    syncCpuMs,
    syncBytes,
    watchMs,
    watchCpuMs,
    watchBytes: bytes - syncBytes,
    watchEvents: events,
    totalBytes: bytes,
    totalCpuMs: syncCpuMs + watchCpuMs,
    retainedHeapBytes: heapHeld - heapBefore,
    serverFiltered: sharding === 'server' ? 1 : 0,
    // Read after the heap was measured, so the cache was still reachable then.
    objectsHeld: informer.store.size,
  };
});
