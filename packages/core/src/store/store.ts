import type { KubeObject } from '../protocol/kube-object.js';
import type { DeepReadonly } from './deep-readonly.js';

/**
 * The name of the index every store has: objects by `metadata.namespace` (cluster-scoped objects have no
 * value in it). Listers use it to read one namespace without scanning the store.
 * @see client-go `cache.NamespaceIndex`
 */
export const namespaceIndex = 'namespace';
export type NamespaceIndex = typeof namespaceIndex;

/**
 * Maps an object to the index values it is filed under (zero or more). Must be pure and quick: it runs
 * on every add and update, and again on the previous version of an object to retire its old values.
 * @see client-go `cache.IndexFunc`
 */
export type IndexFunction<T> = (object: DeepReadonly<T>) => readonly string[];

/** Named index functions; the names become the store's typed index names. */
export type Indexers<T, I extends string> = { readonly [Name in I]: IndexFunction<T> };

/**
 * A read-only, synchronous view of an informer's cache, keyed by `namespace/name` (or `name` for
 * cluster-scoped objects).
 *
 * Consistency: every read sees one consistent state; a relist is applied atomically. The state is
 * eventually consistent with the server: it lags it by the watch latency, and by longer while the
 * connection is being re-established.
 *
 * Objects are shared with the informer and every other consumer; they are typed read-only and must not
 * be mutated (copy with `structuredClone` before changing one). Lists are fresh arrays, O(result).
 *
 * `I` are the index names given to the informer; asking for another name does not compile, and from
 * JavaScript throws `UnknownIndexError`.
 * @see client-go `cache.Indexer` (read side)
 */
export interface Store<T, I extends string = never> {
  /** The object under `key` (`namespace/name`, or `name` when cluster-scoped). O(1). */
  getByKey(key: string): DeepReadonly<T> | undefined;
  /** The namespaced object `namespace/name`. O(1). */
  get(namespace: string, name: string): DeepReadonly<T> | undefined;
  /** The cluster-scoped object `name`. O(1). */
  get(name: string): DeepReadonly<T> | undefined;
  /** Every object, in no particular order. O(size). */
  list(): DeepReadonly<T>[];
  /** Every key, in no particular order. O(size). */
  listKeys(): string[];
  /** The objects filed under `value` in index `indexName`. O(result). */
  byIndex(indexName: I | NamespaceIndex, value: string): DeepReadonly<T>[];
  /** The keys of the objects filed under `value` in index `indexName`. O(result). */
  indexKeys(indexName: I | NamespaceIndex, value: string): string[];
  /** The values under which at least one object is filed in index `indexName`. */
  listIndexValues(indexName: I | NamespaceIndex): string[];
  /** The names of the indexes this store maintains, `namespace` included. */
  readonly indexNames: readonly (I | NamespaceIndex)[];
  readonly size: number;
}

/**
 * The store key of an object: `namespace/name`, or `name` for cluster-scoped objects.
 * @see client-go `cache.MetaNamespaceKeyFunc`
 */
export function objectKey(object: Pick<KubeObject, 'metadata'> | DeepReadonly<KubeObject>): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace === undefined || namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * Splits a store key into its namespace (`undefined` for cluster-scoped keys) and name. Names cannot
 * contain `/`, so the first slash is the separator.
 * @see client-go `cache.SplitMetaNamespaceKey`
 */
export function splitKey(key: string): { readonly namespace: string | undefined; readonly name: string } {
  const slash = key.indexOf('/');
  return slash === -1
    ? { namespace: undefined, name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
