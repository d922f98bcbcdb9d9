import { describe, expect, it } from 'vitest';
import type { DeepReadonly } from '../store/deep-readonly.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import type { TestPod } from '../test-support/test-resources.js';
import { testPods } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { createInformerFactory } from './informer-factory.js';

/** A compact pods informer over the in-memory API, synced. */
async function compactInformer(options: { pruneManagedFields?: boolean } = {}) {
  const clock = new ManualClock();
  const api = new InMemoryApi(clock);
  for (const name of ['a', 'b', 'c']) {
    api.create(testPods, {
      metadata: {
        name,
        labels: { app: name === 'c' ? 'db' : 'web' },
        managedFields: [{ manager: 'kubectl' }],
      },
    });
  }
  const factory = createInformerFactory(api, { clock, storage: 'compact', onError: () => {} });
  const informer = factory.informerFor(testPods, {
    ...options,
    indexers: { byApp: (pod) => (pod.metadata?.labels?.app === undefined ? [] : [pod.metadata.labels.app]) },
  });
  const controller = new AbortController();
  factory.start(controller.signal);
  await settle(() => informer.hasSynced(), { clock });
  return { api, clock, informer, factory, controller };
}

describe("storage: 'compact'", () => {
  it('reads the same object twice while it is held, and hands handlers the object the store reads', async () => {
    const { api, clock, informer, controller, factory } = await compactInformer();
    const first = informer.store.getByKey('default/a');
    expect(first?.metadata?.name).toBe('a');
    expect(informer.store.getByKey('default/a')).toBe(first);
    expect(informer.store.get('default', 'a')).toBe(first);
    expect(informer.store.byIndex('byApp', 'web')).toContain(first);
    expect(informer.lister.namespace('default').get('a')).toBe(first);

    const seen: { old: DeepReadonly<TestPod>; object: DeepReadonly<TestPod>; read: unknown }[] = [];
    informer.addEventHandler({
      onUpdate: (old, object) => {
        seen.push({ old, object, read: informer.store.getByKey('default/a') });
      },
    });
    const stored = api.list(testPods).find((pod) => pod.metadata?.name === 'a') as TestPod;
    api.update(testPods, { ...stored, status: { phase: 'Running' } });
    await settle(() => seen.length === 1, { clock });
    // The old object is the one still held; the new one is what the store reads now.
    expect(seen[0]?.old).toBe(first);
    expect(seen[0]?.read).toBe(seen[0]?.object);
    expect(informer.store.getByKey('default/a')).toBe(seen[0]?.object);
    expect(seen[0]?.object.status?.phase).toBe('Running');
    controller.abort();
    await factory.shutdown();
  });

  it('keeps the text pruned, and keys, indexes, deletes and relists exact', async () => {
    const { api, clock, informer, controller, factory } = await compactInformer({ pruneManagedFields: true });
    expect(informer.store.list().every((pod) => pod.metadata?.managedFields === undefined)).toBe(true);
    expect(informer.store.indexKeys('byApp', 'web').sort()).toEqual(['default/a', 'default/b']);
    const deletes: [string | undefined, boolean][] = [];
    informer.addEventHandler({
      onDelete: (pod, { finalStateUnknown }) => {
        deletes.push([pod.metadata?.name, finalStateUnknown]);
      },
    });
    api.delete(testPods, 'default/c');
    await settle(() => deletes.length === 1, { clock });
    expect(informer.store.listIndexValues('byApp')).toEqual(['web']);
    // A relist that misses an object delivers it as a delete whose final state is unknown.
    api.delete(testPods, 'default/b');
    api.compact();
    api.dropWatches();
    await settle(() => deletes.length === 2, { clock });
    expect(deletes).toEqual([
      ['c', false],
      ['b', expect.any(Boolean)],
    ]);
    expect(informer.store.listKeys()).toEqual(['default/a']);
    controller.abort();
    await factory.shutdown();
  });

  it('relists exactly with nobody listening (list pages described as they arrive), and replays to a later handler', async () => {
    const { api, clock, informer, controller, factory } = await compactInformer();
    const a = api.list(testPods).find((pod) => pod.metadata?.name === 'a') as TestPod;
    api.update(testPods, { ...a, metadata: { ...a.metadata, labels: { app: 'db' } } });
    api.delete(testPods, 'default/c');
    api.create(testPods, { metadata: { name: 'd', labels: { app: 'web' } } });
    api.compact();
    api.dropWatches();
    await settle(() => informer.store.listKeys().sort().join() === 'default/a,default/b,default/d', {
      clock,
    });
    expect(informer.store.getByKey('default/a')?.metadata?.labels?.app).toBe('db');
    expect(informer.store.getByKey('default/a')?.kind).toBe('Pod');
    expect(informer.store.indexKeys('byApp', 'web').sort()).toEqual(['default/b', 'default/d']);
    expect(informer.store.indexKeys('byApp', 'db')).toEqual(['default/a']);
    const added: string[] = [];
    informer.addEventHandler({
      onAdd: (pod) => {
        added.push(`${pod.metadata?.name}=${pod.metadata?.labels?.app}`);
      },
    });
    expect(added.sort()).toEqual(['a=db', 'b=web', 'd=web']);
    controller.abort();
    await factory.shutdown();
  });

  it('refuses a shared informer asked for with another storage', () => {
    const factory = createInformerFactory(new InMemoryApi(new ManualClock()), { storage: 'compact' });
    factory.informerFor(testPods);
    expect(() => factory.informerFor(testPods, { storage: 'objects' })).toThrow(/storage: compact/);
  });
});
