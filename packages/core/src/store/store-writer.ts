import type { IndexFunctionError } from '../errors/index-function-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { SourceText } from '../protocol/source-text.js';
import { CompactStore } from './compact-store.js';
import type { DeepReadonly } from './deep-readonly.js';
import type { StoreChange } from './indexed-store.js';
import { IndexedStore } from './indexed-store.js';
import type { Indexers, Store } from './store.js';

/**
 * What an informer's cache keeps per object:
 * - `objects` (the default): the parsed objects. Reads cost nothing; every cached object is a graph the
 *   garbage collector traces, about 2.2× the size of its JSON.
 * - `compact`: each object's JSON text, a flat string the collector never traces (1 byte a character
 *   for ASCII); reads parse it, and keep the parsed object while somebody holds it. About half the
 *   memory and half the watch CPU of `objects`; a read of an object nobody holds costs one `JSON.parse`.
 */
export type StorageMode = 'objects' | 'compact';

/**
 * The write side of an informer's store, owned by the informer alone. `text` is the object's JSON as it
 * arrived (see `takeSourceText`); a store that keeps text serializes the object when it is absent, a
 * store of objects ignores it.
 */
export interface StoreWriter<T extends KubeObject, I extends string> extends Store<T, I> {
  /** Stores `object` under its key, returning what it replaced (`undefined` when nothing). */
  upsert(object: DeepReadonly<T>, text?: SourceText): DeepReadonly<T> | undefined;
  /** Removes the object with the key of `object`, returning what was held (`undefined` when nothing). */
  delete(object: DeepReadonly<KubeObject>): DeepReadonly<T> | undefined;
  /** Makes the store hold exactly `objects` (`texts[i]` is the text of `objects[i]`); see `IndexedStore`. */
  replace(objects: readonly DeepReadonly<T>[], texts?: readonly (SourceText | undefined)[]): StoreChange<T>[];
  addIndexers<J extends string>(indexers: Indexers<T, J>): StoreWriter<T, I | J>;
  /**
   * A store that keeps text computes what it keeps of a listed object as its page arrives and returns a
   * stand-in for `replace` (see `CompactStore.stage`); a store of objects has no such step.
   */
  stage?(object: DeepReadonly<T>, text: SourceText | undefined): DeepReadonly<T>;
  /** The last write's changes have been delivered (a compact store lets go of the objects written). */
  settle(): void;
}

export function createStoreWriter<T extends KubeObject, I extends string>(
  mode: StorageMode,
  indexers: Indexers<T, I> | undefined,
  onIndexError: (error: IndexFunctionError) => void,
): StoreWriter<T, I> {
  return mode === 'compact'
    ? new CompactStore<T, I>(indexers, onIndexError)
    : new IndexedStore<T, I>(indexers, onIndexError);
}
