import type { DeepReadonly } from './deep-readonly.js';
import { IndexConflictError } from './index-conflict-error.js';
import { IndexFunctionError } from './index-function-error.js';
import type { KubeObject } from './kube-object.js';
import type { Indexers, IndexFunction, NamespaceIndex, Store } from './store.js';
import { namespaceIndex, objectKey } from './store.js';
import { UnknownIndexError } from './unknown-index-error.js';

/** One change a write made, in the order consumers must see it. */
export type StoreChange<T> =
  | { readonly type: 'added'; readonly object: DeepReadonly<T> }
  | { readonly type: 'updated'; readonly oldObject: DeepReadonly<T>; readonly object: DeepReadonly<T> }
  | { readonly type: 'deleted'; readonly object: DeepReadonly<T> };

/**
 * The keys filed under one index value. Most values of most indexes hold a single object (pods by IP,
 * objects by UID), so a lone key is kept as the string itself and a `Set` is made only for the second.
 */
type Bucket = string | Set<string>;
type Index = Map<string, Bucket>;

const noValues: readonly string[] = [];

function namespaceValues(object: DeepReadonly<KubeObject>): readonly string[] {
  const namespace = object.metadata?.namespace;
  return namespace === undefined || namespace === '' ? noValues : [namespace];
}

/**
 * The store behind an informer: the read side is `Store<T, I>`; the write methods (`upsert`, `delete`,
 * `replace`, `addIndexers`) belong to the informer alone, which never hands this class out under a
 * writable type.
 *
 * Memory: one `Map` entry per object, plus one entry per (index, value, object) for each index actually
 * defined. Index values are not remembered per object: an update recomputes the previous object's values
 * (as client-go does), so index upkeep costs O(values of the two versions), never O(store).
 *
 * Index functions are user code: when one throws, the error goes to `onIndexError` and the object is
 * stored without that index's values; the items and every other index stay exact.
 */
export class IndexedStore<T extends KubeObject, I extends string = never> implements Store<T, I> {
  private readonly items = new Map<string, DeepReadonly<T>>();
  private readonly indexFunctions = new Map<string, IndexFunction<T>>();
  private readonly indices = new Map<string, Index>();

  constructor(
    indexers: Indexers<T, I> | undefined,
    private readonly onIndexError: (error: IndexFunctionError) => void,
  ) {
    this.indexFunctions.set(namespaceIndex, namespaceValues as IndexFunction<T>);
    this.indices.set(namespaceIndex, new Map());
    if (indexers !== undefined) this.addIndexers(indexers);
  }

  get size(): number {
    return this.items.size;
  }

  get indexNames(): (I | NamespaceIndex)[] {
    return [...this.indexFunctions.keys()] as (I | NamespaceIndex)[];
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    return this.items.get(key);
  }

  get(namespaceOrName: string, name?: string): DeepReadonly<T> | undefined {
    return this.items.get(name === undefined ? namespaceOrName : `${namespaceOrName}/${name}`);
  }

  list(): DeepReadonly<T>[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  byIndex(indexName: I | NamespaceIndex, value: string): DeepReadonly<T>[] {
    return this.indexKeys(indexName, value).map((key) => this.items.get(key)!);
  }

  indexKeys(indexName: I | NamespaceIndex, value: string): string[] {
    const bucket = this.index(indexName).get(value);
    if (bucket === undefined) return [];
    return typeof bucket === 'string' ? [bucket] : [...bucket];
  }

  listIndexValues(indexName: I | NamespaceIndex): string[] {
    return [...this.index(indexName).keys()];
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
      const index: Index = new Map();
      this.indexFunctions.set(name, indexFunction);
      this.indices.set(name, index);
      for (const [key, object] of this.items) {
        for (const value of this.valuesOf(name, indexFunction, key, object, true) ?? noValues) {
          addToBucket(index, value, key);
        }
      }
    }
    return this as IndexedStore<T, I | J>;
  }

  /** Stores `object` under `key`, returning what it replaced. */
  upsert(key: string, object: DeepReadonly<T>): DeepReadonly<T> | undefined {
    const previous = this.items.get(key);
    this.items.set(key, object);
    for (const [name, indexFunction] of this.indexFunctions) {
      this.reindex(name, indexFunction, key, previous, object);
    }
    return previous;
  }

  /** Removes the object under `key`, returning it (or `undefined` when nothing was held). */
  delete(key: string): DeepReadonly<T> | undefined {
    const previous = this.items.get(key);
    if (previous === undefined) return undefined;
    this.items.delete(key);
    for (const [name, indexFunction] of this.indexFunctions) {
      this.reindex(name, indexFunction, key, previous, undefined);
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
    for (const [key, object] of this.items) {
      if (!incoming.has(key)) {
        this.delete(key);
        changes.push({ type: 'deleted', object });
      }
    }
    for (const [key, object] of incoming) {
      const held = this.items.get(key);
      if (held === undefined) {
        this.upsert(key, object);
        changes.push({ type: 'added', object });
      } else if (sameResourceVersion(held, object)) {
        // Unchanged since we last saw it: keep the held instance, report nothing.
      } else if (held.metadata?.uid !== object.metadata?.uid) {
        this.delete(key);
        this.upsert(key, object);
        changes.push({ type: 'deleted', object: held }, { type: 'added', object });
      } else {
        this.upsert(key, object);
        changes.push({ type: 'updated', oldObject: held, object });
      }
    }
    return changes;
  }

  private index(indexName: string): Index {
    const index = this.indices.get(indexName);
    if (index === undefined) throw new UnknownIndexError(indexName, [...this.indices.keys()]);
    return index;
  }

  private reindex(
    name: string,
    indexFunction: IndexFunction<T>,
    key: string,
    previous: DeepReadonly<T> | undefined,
    next: DeepReadonly<T> | undefined,
  ): void {
    const index = this.indices.get(name)!;
    const newValues =
      next === undefined ? noValues : (this.valuesOf(name, indexFunction, key, next, true) ?? noValues);
    if (previous !== undefined) {
      // The previous version was reported when it was stored; failing again now is not news.
      const oldValues = this.valuesOf(name, indexFunction, key, previous, false);
      if (oldValues === undefined) {
        // Cannot tell where the key was filed: scrub it from the whole index. Only an index function that
        // throws for an object it once accepted (impure) ever pays this O(index) cost.
        for (const value of [...index.keys()]) removeFromBucket(index, value, key);
      } else {
        for (const value of oldValues) {
          if (!newValues.includes(value)) removeFromBucket(index, value, key);
        }
      }
    }
    for (const value of newValues) addToBucket(index, value, key);
  }

  private valuesOf(
    name: string,
    indexFunction: IndexFunction<T>,
    key: string,
    object: DeepReadonly<T>,
    report: boolean,
  ): readonly string[] | undefined {
    let values: unknown;
    try {
      values = indexFunction(object);
      if (!Array.isArray(values) || !values.every((value) => typeof value === 'string')) {
        throw new TypeError(`index function returned ${describe(values)}, not an array of strings`);
      }
    } catch (error) {
      if (report) this.onIndexError(new IndexFunctionError(name, key, error));
      return undefined;
    }
    return values as readonly string[];
  }
}

function sameResourceVersion(held: DeepReadonly<KubeObject>, object: DeepReadonly<KubeObject>): boolean {
  const version = held.metadata?.resourceVersion;
  return version !== undefined && version !== '' && version === object.metadata?.resourceVersion;
}

function addToBucket(index: Index, value: string, key: string): void {
  const bucket = index.get(value);
  if (bucket === undefined) index.set(value, key);
  else if (typeof bucket === 'string') {
    if (bucket !== key) index.set(value, new Set([bucket, key]));
  } else bucket.add(key);
}

function removeFromBucket(index: Index, value: string, key: string): void {
  const bucket = index.get(value);
  if (bucket === undefined) return;
  if (typeof bucket === 'string') {
    if (bucket === key) index.delete(value);
    return;
  }
  bucket.delete(key);
  if (bucket.size === 1) index.set(value, bucket.values().next().value!);
  else if (bucket.size === 0) index.delete(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array containing a non-string';
  return value === null ? 'null' : typeof value;
}
