import type { DeepReadonly } from './deep-readonly.js';
import type { NamespaceIndex, Store } from './store.js';

/**
 * The reader half of an informer's cache: every read of `Store`, forwarded to the writer the informer
 * owns, and nothing else. The writer sits in a `#private` field, so no caller can reach `upsert`,
 * `delete` or `replace` through this object, from TypeScript or plain JavaScript, and a cast or
 * `Object.keys` finds no mutation method either.
 * @see kube-rs `reflector::Store` (the reader `Writer::as_reader()` hands out)
 */
export class ReadOnlyStore<T, I extends string = never> implements Store<T, I> {
  readonly #source: Store<T, I>;

  constructor(source: Store<T, I>) {
    this.#source = source;
  }

  get size(): number {
    return this.#source.size;
  }

  get indexNames(): readonly (I | NamespaceIndex)[] {
    return this.#source.indexNames;
  }

  getByKey(key: string): DeepReadonly<T> | undefined {
    return this.#source.getByKey(key);
  }

  get(namespaceOrName: string, name?: string): DeepReadonly<T> | undefined {
    return name === undefined ? this.#source.get(namespaceOrName) : this.#source.get(namespaceOrName, name);
  }

  list(): DeepReadonly<T>[] {
    return this.#source.list();
  }

  listKeys(): string[] {
    return this.#source.listKeys();
  }

  byIndex(indexName: I | NamespaceIndex, value: string): DeepReadonly<T>[] {
    return this.#source.byIndex(indexName, value);
  }

  indexKeys(indexName: I | NamespaceIndex, value: string): string[] {
    return this.#source.indexKeys(indexName, value);
  }

  listIndexValues(indexName: I | NamespaceIndex): string[] {
    return this.#source.listIndexValues(indexName);
  }
}
