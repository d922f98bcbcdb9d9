import { IndexConflictError } from '../errors/index-conflict-error.js';
import type { IndexFunctionError } from '../errors/index-function-error.js';
import { UnknownIndexError } from '../errors/unknown-index-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { DeepReadonly } from './deep-readonly.js';
import type { Index } from './index-bucket.js';
import { addToBucket, bucketEntries, removeFromBucket, replaceInBucket } from './index-bucket.js';
import { indexValues } from './index-values.js';
import type { Indexers, IndexFunction, NamespaceIndex, Store } from './store.js';
import { namespaceIndex, objectKey } from './store.js';

/** One change a write made, in the order consumers must see it. */
export type StoreChange<T> =
  | { readonly type: 'added'; readonly object: DeepReadonly<T> }
  | { readonly type: 'updated'; readonly oldObject: DeepReadonly<T>; readonly object: DeepReadonly<T> }
  | { readonly type: 'deleted'; readonly object: DeepReadonly<T> };

type Held = DeepReadonly<KubeObject>;

const noValues: readonly string[] = [];
/** The namespace under which cluster-scoped objects are held (it is never an index value). */
const clusterScope = '';

/**
 * The store behind an informer: the read side is `Store<T, I>`; the write methods (`upsert`, `delete`,
 * `replace`, `addIndexers`) belong to the informer alone, which never hands this class out under a
 * writable type.
 *
 * Memory: objects are held in one map per namespace, keyed by the name string the object already
 * carries, so the namespace index costs nothing extra. A second, flat map by `namespace/name` key serves
 * `getByKey`, the most frequent read: splitting the key on every lookup would make two new strings whose
 * hashes must be computed each time (measured 3–4× slower); the flat map costs one entry and one key
 * string per object, under 1% of a typical pod's heap. Each index
 * actually defined adds one entry per (value, object), pointing at the object itself. Index values are
 * not remembered per object: an update recomputes the previous version's values (as client-go does), so
 * index upkeep costs O(values of the two versions), never O(store).
 *
 * Index functions are user code: when one throws, the error goes to `onIndexError` and the object is
 * stored without that index's values; the items and every other index stay exact. They must be pure (the
 * same object always yields the same values), or stale entries can remain.
 */
export class IndexedStore<T extends KubeObject, I extends string = never> implements Store<T, I> {
  private readonly namespaces = new Map<string, Map<string, DeepReadonly<T>>>();
  private readonly byKey = new Map<string, DeepReadonly<T>>();
  private readonly indexFunctions = new Map<string, IndexFunction<T>>();
  private readonly indices = new Map<string, Index<DeepReadonly<T>>>();
  private count = 0;

  constructor(
    indexers: Indexers<T, I> | undefined,
    private readonly onIndexError: (error: IndexFunctionError) => void,
  ) {
    if (indexers !== undefined) this.addIndexers(indexers);
  }

  get size(): number {
    return this.count;
  }

  get indexNames(): (I | NamespaceIndex)[] {
    return [namespaceIndex, ...this.indexFunctions.keys()] as (I | NamespaceIndex)[];
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    return this.byKey.get(key);
  }

  get(namespaceOrName: string, name?: string): DeepReadonly<T> | undefined {
    return name === undefined
      ? this.namespaces.get(clusterScope)?.get(namespaceOrName)
      : this.namespaces.get(namespaceOrName)?.get(name);
  }

  list(): DeepReadonly<T>[] {
    const objects: DeepReadonly<T>[] = [];
    for (const names of this.namespaces.values()) for (const object of names.values()) objects.push(object);
    return objects;
  }

  listKeys(): string[] {
    return this.list().map(objectKey);
  }

  byIndex(indexName: I | NamespaceIndex, value: string): DeepReadonly<T>[] {
    if (indexName === namespaceIndex) {
      return value === clusterScope ? [] : [...(this.namespaces.get(value)?.values() ?? [])];
    }
    return bucketEntries(this.index(indexName).get(value));
  }

  indexKeys(indexName: I | NamespaceIndex, value: string): string[] {
    return this.byIndex(indexName, value).map(objectKey);
  }

  listIndexValues(indexName: I | NamespaceIndex): string[] {
    if (indexName !== namespaceIndex) return [...this.index(indexName).keys()];
    return [...this.namespaces.keys()].filter((namespace) => namespace !== clusterScope);
  }

  /**
   * Adds indexes and files every object already held under them (O(size) once). Re-adding the same
   * function under the same name is a no-op; a different function under an existing name, or the name
   * `namespace`, throws `IndexConflictError` before anything changes.
   */
  addIndexers<J extends string>(indexers: Indexers<T, J>): IndexedStore<T, I | J> {
    const added = Object.entries<IndexFunction<T>>(indexers).filter(([name, indexFunction]) => {
      const existing = this.indexFunctions.get(name);
      if (name === namespaceIndex || (existing !== undefined && existing !== indexFunction)) {
        throw new IndexConflictError(name);
      }
      return existing === undefined;
    });
    for (const [name, indexFunction] of added) {
      const index: Index<DeepReadonly<T>> = new Map();
      this.indexFunctions.set(name, indexFunction);
      this.indices.set(name, index);
      for (const object of this.list()) {
        for (const value of this.valuesOf(name, indexFunction, object, true) ?? noValues) {
          addToBucket(index, value, object);
        }
      }
    }
    return this as IndexedStore<T, I | J>;
  }

  /** Stores `object` under its key, returning what it replaced. */
  upsert(object: DeepReadonly<T>): DeepReadonly<T> | undefined {
    const namespace = namespaceOf(object);
    let names = this.namespaces.get(namespace);
    if (names === undefined) {
      names = new Map();
      this.namespaces.set(namespace, names);
    }
    const name = object.metadata?.name ?? '';
    const previous = names.get(name);
    names.set(name, object);
    this.byKey.set(namespace === clusterScope ? name : `${namespace}/${name}`, object);
    if (previous === undefined) this.count += 1;
    for (const [indexName, indexFunction] of this.indexFunctions) {
      this.reindex(indexName, indexFunction, previous, object);
    }
    return previous;
  }

  /** Removes the object with the key of `object`, returning what was held (`undefined` when nothing). */
  delete(object: Held): DeepReadonly<T> | undefined {
    const namespace = namespaceOf(object);
    const names = this.namespaces.get(namespace);
    const name = object.metadata?.name ?? '';
    const previous = names?.get(name);
    if (names === undefined || previous === undefined) return undefined;
    names.delete(name);
    this.byKey.delete(namespace === clusterScope ? name : `${namespace}/${name}`);
    if (names.size === 0) this.namespaces.delete(namespace);
    this.count -= 1;
    for (const [indexName, indexFunction] of this.indexFunctions) {
      this.reindex(indexName, indexFunction, previous, undefined);
    }
    return previous;
  }

  /**
   * Makes the store hold exactly `objects` (later duplicates of a key win) and returns the changes:
   * deletes of objects no longer present first, then adds and updates in `objects` order. An object whose
   * `resourceVersion` is unchanged is kept as held and reported as nothing; an object whose UID changed
   * (deleted and recreated while unobserved) is reported as a delete followed by an add. Synchronous, so
   * no read can observe a half-applied state.
   */
  replace(objects: readonly DeepReadonly<T>[]): StoreChange<T>[] {
    const incoming = new Map<string, DeepReadonly<T>>();
    for (const object of objects) incoming.set(objectKey(object), object);
    const changes: StoreChange<T>[] = [];
    for (const object of this.list()) {
      if (!incoming.has(objectKey(object))) {
        this.delete(object);
        changes.push({ type: 'deleted', object });
      }
    }
    for (const object of incoming.values()) {
      const held = this.get(namespaceOf(object), object.metadata?.name ?? '');
      if (held === undefined) {
        this.upsert(object);
        changes.push({ type: 'added', object });
      } else if (sameResourceVersion(held, object)) {
        // Unchanged since we last saw it: keep the held instance, report nothing.
      } else if (held.metadata?.uid !== object.metadata?.uid) {
        this.upsert(object);
        changes.push({ type: 'deleted', object: held }, { type: 'added', object });
      } else {
        this.upsert(object);
        changes.push({ type: 'updated', oldObject: held, object });
      }
    }
    return changes;
  }

  /** Nothing to let go of: the objects are the store's. */
  settle(): void {}

  private index(indexName: string): Index<DeepReadonly<T>> {
    const index = this.indices.get(indexName);
    if (index === undefined) throw new UnknownIndexError(indexName, this.indexNames);
    return index;
  }

  private reindex(
    name: string,
    indexFunction: IndexFunction<T>,
    previous: DeepReadonly<T> | undefined,
    next: DeepReadonly<T> | undefined,
  ): void {
    const index = this.indices.get(name)!;
    const newValues =
      next === undefined ? noValues : (this.valuesOf(name, indexFunction, next, true) ?? noValues);
    if (previous !== undefined) {
      // The previous version was reported when it was stored; failing again now is not news.
      const oldValues = this.valuesOf(name, indexFunction, previous, false);
      if (oldValues === undefined) {
        // Cannot tell where it was filed: scrub it from the whole index. Only an index function that
        // throws for an object it once accepted (impure) ever pays this O(index) cost.
        for (const value of [...index.keys()]) removeFromBucket(index, value, previous);
      } else {
        for (const value of oldValues) {
          if (next !== undefined && newValues.includes(value)) replaceInBucket(index, value, previous, next);
          else removeFromBucket(index, value, previous);
        }
      }
    }
    for (const value of newValues) addToBucket(index, value, next!);
  }

  private valuesOf(
    name: string,
    indexFunction: IndexFunction<T>,
    object: DeepReadonly<T>,
    report: boolean,
  ): readonly string[] | undefined {
    return indexValues(name, indexFunction, object, report ? this.onIndexError : undefined);
  }
}

function namespaceOf(object: Held): string {
  return object.metadata?.namespace ?? clusterScope;
}

function sameResourceVersion(held: Held, object: Held): boolean {
  const version = held.metadata?.resourceVersion;
  return version !== undefined && version !== '' && version === object.metadata?.resourceVersion;
}
