import { IndexConflictError } from '../errors/index-conflict-error.js';
import type { IndexFunctionError } from '../errors/index-function-error.js';
import { UnknownIndexError } from '../errors/unknown-index-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { SourceText } from '../protocol/source-text.js';
import { type CompactDescription, CompactEntry } from './compact-entry.js';
import type { DeepReadonly } from './deep-readonly.js';
import type { Index } from './index-bucket.js';
import { addToBucket, bucketEntries, removeFromBucket } from './index-bucket.js';
import { indexValues } from './index-values.js';
import type { StoreChange } from './indexed-store.js';
import { lazyObject } from './lazy-object.js';
import type { Indexers, IndexFunction, NamespaceIndex } from './store.js';
import { namespaceIndex, splitKey } from './store.js';
import type { StoreWriter } from './store-writer.js';

/** The namespace under which cluster-scoped objects are held (it is never an index value). */
const clusterScope = '';

interface IndexDefinition<T> {
  readonly name: string;
  readonly indexFunction: IndexFunction<T>;
  readonly index: Index<CompactEntry>;
}

/**
 * An informer's store that keeps each object's JSON text instead of the object (`storage: 'compact'`).
 *
 * Memory: a flat string is a leaf for the garbage collector (never traced, 1 byte a character when
 * ASCII), where a parsed pod is a graph of about 2.2× its JSON; per object the store adds one small
 * entry and the maps' slots. Keys and index values are computed once, from the parsed object the write
 * already has; an update or delete retires the previous values from the entry, without parsing.
 *
 * Reads return parsed objects, read-only by type like every store's. Identity: the entry keeps a
 * `WeakRef` to the last object a read handed out, so reading an unchanged object again returns the same
 * object for as long as anybody holds it (`useSyncExternalStore` compares snapshots with `Object.is`);
 * a read from a handler returns the object the handler was given; a read of an object nobody holds
 * parses its text (one `JSON.parse`). Objects handed to handlers are not tracked afterwards (see
 * `writtenEntry`): a later read parses again unless a read took it while it was delivered.
 * `list()` and `byIndex` read every object they return: O(result) parses when nobody holds them, which
 * is what makes this mode wrong for code that lists the whole cache in a hot loop.
 *
 * What a write returns (the replaced or deleted object) is the held object when it is alive, and
 * otherwise a lazily parsed stand-in (`lazyObject`): an update handler that never reads its old object
 * costs no parse; one that reads it pays one `JSON.parse` of the old text.
 */
export class CompactStore<T extends KubeObject, I extends string = never> implements StoreWriter<T, I> {
  private readonly namespaces = new Map<string, Map<string, CompactEntry>>();
  private readonly byKey = new Map<string, CompactEntry>();
  /** In the order of each entry's `values`. */
  private readonly indexFunctions: IndexDefinition<T>[] = [];
  private readonly indices = new Map<string, Index<CompactEntry>>();
  /**
   * The object of the write being delivered (a watch event's), until `settle()`: a read from a handler
   * returns the very object the handler was given. One slot, emptied after the handlers ran, so that
   * the object dies young. Not a `WeakRef` per write: V8's young-generation collections keep a weak
   * target alive, so every event's object would be promoted and collected by a full GC later, the cost
   * this store exists to avoid (measured: 150 µs instead of 51 µs of CPU per event). Not a `Map` emptied
   * with `clear()` either: its old table keeps pointing at the object and keeps it alive the same way.
   */
  private writtenEntry: CompactEntry | undefined;
  private writtenObject: object | undefined;
  /** The objects written by the `replace` being delivered, until `settle()`. */
  private writtenBatch: Map<CompactEntry, object> | undefined;
  /** Listed objects described as their page arrived (`stage`), until `replace` stores them. */
  private readonly staged = new WeakMap<object, { description: CompactDescription; indexCount: number }>();
  /** Filled into read objects whose text lacks them (list items): what the writes carried. */
  private apiVersion: string | undefined;
  private kind: string | undefined;

  constructor(
    indexers: Indexers<T, I> | undefined,
    private readonly onIndexError: (error: IndexFunctionError) => void,
  ) {
    if (indexers !== undefined) this.addIndexers(indexers);
  }

  get size(): number {
    return this.byKey.size;
  }

  get indexNames(): (I | NamespaceIndex)[] {
    return [namespaceIndex, ...this.indexFunctions.map(({ name }) => name)] as (I | NamespaceIndex)[];
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    const entry = this.byKey.get(key);
    return entry === undefined ? undefined : this.read(entry);
  }

  get(namespaceOrName: string, name?: string): DeepReadonly<T> | undefined {
    const entry =
      name === undefined
        ? this.namespaces.get(clusterScope)?.get(namespaceOrName)
        : this.namespaces.get(namespaceOrName)?.get(name);
    return entry === undefined ? undefined : this.read(entry);
  }

  list(): DeepReadonly<T>[] {
    const objects: DeepReadonly<T>[] = [];
    for (const entry of this.byKey.values()) objects.push(this.read(entry));
    return objects;
  }

  listKeys(): string[] {
    return [...this.byKey.keys()];
  }

  byIndex(indexName: I | NamespaceIndex, value: string): DeepReadonly<T>[] {
    return this.entries(indexName, value).map((entry) => this.read(entry));
  }

  indexKeys(indexName: I | NamespaceIndex, value: string): string[] {
    return this.entries(indexName, value).map((entry) => entry.key);
  }

  listIndexValues(indexName: I | NamespaceIndex): string[] {
    if (indexName !== namespaceIndex) return [...this.index(indexName).keys()];
    return [...this.namespaces.keys()].filter((namespace) => namespace !== clusterScope);
  }

  /** Adds indexes (see `IndexedStore.addIndexers`); files every object held, reading each (O(size) parses). */
  addIndexers<J extends string>(indexers: Indexers<T, J>): CompactStore<T, I | J> {
    const added = Object.entries<IndexFunction<T>>(indexers).filter(([name, indexFunction]) => {
      const existing = this.indexFunctions.find((known) => known.name === name)?.indexFunction;
      if (name === namespaceIndex || (existing !== undefined && existing !== indexFunction)) {
        throw new IndexConflictError(name);
      }
      return existing === undefined;
    });
    for (const [name, indexFunction] of added) {
      const position = this.indexFunctions.length;
      const index: Index<CompactEntry> = new Map();
      this.indexFunctions.push({ name, indexFunction, index });
      this.indices.set(name, index);
      for (const entry of this.byKey.values()) {
        const values = indexValues(name, indexFunction, this.read(entry), this.onIndexError);
        entry.values ??= [];
        entry.values[position] = values;
        for (const value of values ?? []) addToBucket(index, value, entry);
      }
    }
    return this as CompactStore<T, I | J>;
  }

  upsert(object: DeepReadonly<T>, text?: SourceText): DeepReadonly<T> | undefined {
    return this.put(this.described(object, text), object);
  }

  /**
   * Computes now what the store will keep of a listed object (its key, index values and text), and
   * returns a stand-in (`lazyObject`) that `replace` accepts in its place without parsing it. So a
   * list page's parsed objects die young instead of living until the whole snapshot lands, the cost
   * this store exists to avoid. A handler handed the stand-in pays one `JSON.parse` when it first
   * reads it. Without `text` there is nothing to keep but the object, which is returned as it is.
   */
  stage(object: DeepReadonly<T>, text: SourceText | undefined): DeepReadonly<T> {
    if (text === undefined) return object;
    const description = this.describe(object, text);
    const standIn = lazyObject(() => this.parse(description.text, description.event));
    this.staged.set(standIn, { description, indexCount: this.indexFunctions.length });
    return standIn;
  }

  /** What to keep of `object`: computed by `stage` (unless indexes were added since), or now. */
  private described(object: DeepReadonly<T>, text: SourceText | undefined): CompactDescription {
    const staged = this.staged.get(object);
    if (staged === undefined) return this.describe(object, text);
    this.staged.delete(object);
    if (staged.indexCount === this.indexFunctions.length) return staged.description;
    return { ...staged.description, values: this.valuesOf(object) };
  }

  private describe(object: DeepReadonly<T>, text: SourceText | undefined): CompactDescription {
    const metadata = object.metadata;
    const namespace = metadata?.namespace ?? clusterScope;
    const name = metadata?.name ?? '';
    if (this.apiVersion === undefined || this.kind === undefined) this.rememberType(object);
    return {
      namespace,
      name,
      key: namespace === clusterScope ? name : `${namespace}/${name}`,
      text: text?.text ?? JSON.stringify(object),
      event: text?.shape === 'event',
      resourceVersion: metadata?.resourceVersion,
      uid: metadata?.uid,
      values: this.indexFunctions.length === 0 ? undefined : this.valuesOf(object),
    };
  }

  private put(description: CompactDescription, object: DeepReadonly<T>): DeepReadonly<T> | undefined {
    const { namespace, name, key, text, event, resourceVersion, values } = description;
    let names = this.namespaces.get(namespace);
    if (names === undefined) {
      names = new Map();
      this.namespaces.set(namespace, names);
    }
    const entry = names.get(name);
    if (entry === undefined) {
      const created = new CompactEntry(key, text, event, resourceVersion, values, undefined);
      this.remember(created, object);
      names.set(name, created);
      this.byKey.set(key, created);
      this.file(created, undefined, values);
      return undefined;
    }
    const previous = this.previousObject(entry);
    const previousValues = entry.values;
    entry.text = text;
    entry.event = event;
    entry.resourceVersion = resourceVersion;
    entry.values = values;
    entry.held = undefined;
    this.remember(entry, object);
    this.file(entry, previousValues, values);
    return previous;
  }

  delete(object: DeepReadonly<KubeObject>): DeepReadonly<T> | undefined {
    const namespace = object.metadata?.namespace ?? clusterScope;
    const name = object.metadata?.name ?? '';
    const entry = this.namespaces.get(namespace)?.get(name);
    return entry === undefined ? undefined : this.remove(entry, namespace, name);
  }

  private remove(entry: CompactEntry, namespace: string, name: string): DeepReadonly<T> {
    const names = this.namespaces.get(namespace);
    names?.delete(name);
    if (names?.size === 0) this.namespaces.delete(namespace);
    this.byKey.delete(entry.key);
    this.file(entry, entry.values, undefined);
    return this.previousObject(entry);
  }

  /** See `IndexedStore.replace`; the same changes, in the same order. Accepts `stage`'s stand-ins. */
  replace(
    objects: readonly DeepReadonly<T>[],
    texts?: readonly (SourceText | undefined)[],
  ): StoreChange<T>[] {
    const incoming = new Map<string, { object: DeepReadonly<T>; description: CompactDescription }>();
    for (let position = 0; position < objects.length; position++) {
      const object = objects[position] as DeepReadonly<T>;
      const description = this.described(object, texts?.[position]);
      incoming.set(description.key, { object, description });
    }
    const changes: StoreChange<T>[] = [];
    this.writtenBatch = new Map();
    for (const entry of [...this.byKey.values()]) {
      if (!incoming.has(entry.key)) {
        const { namespace = clusterScope, name } = splitKey(entry.key);
        changes.push({ type: 'deleted', object: this.remove(entry, namespace, name) });
      }
    }
    for (const [key, { object, description }] of incoming) {
      const held = this.byKey.get(key);
      const version = held?.resourceVersion;
      if (held === undefined) {
        this.put(description, object);
        changes.push({ type: 'added', object });
      } else if (version !== undefined && version !== '' && version === description.resourceVersion) {
        // Unchanged since we last saw it: keep the held text, report nothing.
      } else {
        // A relist path: reading the held object (to compare UIDs) costs a parse per changed object.
        const oldObject = this.read(held);
        this.put(description, object);
        if (oldObject.metadata?.uid !== description.uid) {
          changes.push({ type: 'deleted', object: oldObject }, { type: 'added', object });
        } else changes.push({ type: 'updated', oldObject, object });
      }
    }
    return changes;
  }

  private entries(indexName: I | NamespaceIndex, value: string): CompactEntry[] {
    if (indexName !== namespaceIndex) return bucketEntries(this.index(indexName).get(value));
    return value === clusterScope ? [] : [...(this.namespaces.get(value)?.values() ?? [])];
  }

  private index(indexName: string): Index<CompactEntry> {
    const index = this.indices.get(indexName);
    if (index === undefined) throw new UnknownIndexError(indexName, this.indexNames);
    return index;
  }

  /** The write's handlers have run: forget the objects written (see `writtenEntry`). */
  settle(): void {
    this.writtenEntry = undefined;
    this.writtenObject = undefined;
    this.writtenBatch = undefined;
  }

  private remember(entry: CompactEntry, object: object): void {
    if (this.writtenBatch !== undefined) this.writtenBatch.set(entry, object);
    else {
      this.writtenEntry = entry;
      this.writtenObject = object;
    }
  }

  private written(entry: CompactEntry): object | undefined {
    return entry === this.writtenEntry ? this.writtenObject : this.writtenBatch?.get(entry);
  }

  /**
   * The object `entry` holds now: the one a read handed out if it is alive, the one being delivered,
   * else parsed from the text; from then on tracked by a `WeakRef` (a read shows interest in it).
   */
  private read(entry: CompactEntry): DeepReadonly<T> {
    const alive = entry.held?.deref();
    if (alive !== undefined) return alive as DeepReadonly<T>;
    const object =
      (this.written(entry) as DeepReadonly<T> | undefined) ?? this.parse(entry.text, entry.event);
    entry.held = new WeakRef(object);
    return object;
  }

  /** What `entry` held before a write: the live object, or a stand-in that parses the text when read. */
  private previousObject(entry: CompactEntry): DeepReadonly<T> {
    const alive = entry.held?.deref() ?? this.written(entry);
    if (alive !== undefined) return alive as DeepReadonly<T>;
    const { text, event } = entry;
    return lazyObject(() => this.parse(text, event));
  }

  private parse(text: string, event: boolean): DeepReadonly<T> {
    const parsed = JSON.parse(text) as { object?: KubeObject } & KubeObject;
    const object = (event ? parsed.object : parsed) as { apiVersion?: string; kind?: string };
    if (object.apiVersion === undefined && this.apiVersion !== undefined) object.apiVersion = this.apiVersion;
    if (object.kind === undefined && this.kind !== undefined) object.kind = this.kind;
    return object as DeepReadonly<T>;
  }

  private rememberType(object: DeepReadonly<T>): void {
    const { apiVersion, kind } = object as DeepReadonly<KubeObject>;
    if (typeof apiVersion === 'string') this.apiVersion = apiVersion;
    if (typeof kind === 'string') this.kind = kind;
  }

  private valuesOf(object: DeepReadonly<T>): (readonly string[] | undefined)[] {
    return this.indexFunctions.map(({ name, indexFunction }) =>
      indexValues(name, indexFunction, object, this.onIndexError),
    );
  }

  /** Moves `entry` from the index values it had to the ones it has now (either may be absent). */
  private file(
    entry: CompactEntry,
    previous: (readonly string[] | undefined)[] | undefined,
    next: (readonly string[] | undefined)[] | undefined,
  ): void {
    for (let position = 0; position < this.indexFunctions.length; position++) {
      const { index } = this.indexFunctions[position] as IndexDefinition<T>;
      const before = previous?.[position];
      const after = next?.[position];
      if (before !== undefined) {
        for (const value of before)
          if (after === undefined || !after.includes(value)) removeFromBucket(index, value, entry);
      }
      if (after !== undefined) for (const value of after) addToBucket(index, value, entry);
    }
  }
}
