import { describe, expect, it } from 'vitest';
import { podFixture } from '../fixtures/pod-fixture.js';
import { generatePods } from '../fixtures/seed-cluster.js';
import { ResourceCatalog } from '../resources/resource-catalog.js';
import { ClusterStore, createHandedOver, type StoredObject } from './cluster-store.js';
import { ObjectStore } from './object-store.js';

type Labelled = StoredObject & { metadata: { labels: Record<string, string> } };

function stores(): { objectStore: ObjectStore; store: ClusterStore } {
  const objectStore = new ObjectStore(new ResourceCatalog(), 100, () => new Date());
  const store = new ClusterStore(objectStore);
  store.create('namespaces', { metadata: { name: 'default' } });
  return { objectStore, store };
}

/** What the object storage holds for the pod `default/<name>` (never handed to callers as is). */
function held(objectStore: ObjectStore, name: string, namespace = 'default'): Record<string, unknown> {
  return objectStore.get(objectStore.catalog.resolve('pods'), namespace, name).object;
}

/** Every object and array inside `value`, `value` included. */
function parts(value: unknown, found = new Set<object>()): Set<object> {
  if (typeof value !== 'object' || value === null) return found;
  found.add(value);
  for (const entry of Object.values(value)) parts(entry, found);
  return found;
}

describe('who owns the objects of the in-process store', () => {
  it('copies what create is given and what it returns: neither reaches the stored object later', () => {
    const { store } = stores();
    const given = podFixture({ name: 'a', labels: { tier: 'front' } });
    const returned = store.create<Labelled>('pods', given);
    (given.metadata.labels as Record<string, string>).tier = 'changed by the caller';
    returned.metadata.labels.tier = 'changed through the result';
    expect(store.get<Labelled>('pods', 'default/a')?.metadata.labels.tier).toBe('front');
  });

  it('keeps a handed-over object without copying it, and still hands its readers copies', () => {
    const { objectStore, store } = stores();
    const handedOver = podFixture({ name: 'b', labels: { tier: 'back' } });
    const spec = handedOver.spec;
    createHandedOver(store, 'pods', handedOver);
    // What the storage holds is what it was handed: the copy saved is the point.
    expect(held(objectStore, 'b').spec).toBe(spec);

    const read = store.get<Labelled>('pods', 'default/b');
    expect(read?.spec).toEqual(spec);
    expect(read?.spec).not.toBe(spec);
    if (read !== undefined) read.metadata.labels.tier = 'changed by a reader';
    expect(store.get<Labelled>('pods', 'default/b')?.metadata.labels.tier).toBe('back');
  });

  it('generatePods hands over pods that share no part with each other (nor with a fixture constant)', () => {
    const { objectStore, store } = stores();
    generatePods(store, { count: 2, namespace: 'load', prefix: 'p' });
    const first = parts(held(objectStore, 'p-0', 'load'));
    const shared = [...parts(held(objectStore, 'p-1', 'load'))].filter((part) => first.has(part));
    expect(first.size).toBeGreaterThan(50);
    expect(shared).toEqual([]);
  });
});
