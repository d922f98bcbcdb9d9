import type { KubeObject } from '../protocol/kube-object.js';
import { LabelSelector } from '../selectors/label-selector.js';
import type { DeepReadonly } from './deep-readonly.js';
import type { Store } from './store.js';
import { namespaceIndex } from './store.js';

/** Reads of one namespace of a lister. */
export interface NamespaceLister<T> {
  /** The objects of this namespace matching `selector` (all when absent). O(objects in the namespace). */
  list(selector?: string | LabelSelector): DeepReadonly<T>[];
  /** The object `name` of this namespace. O(1). */
  get(name: string): DeepReadonly<T> | undefined;
}

/**
 * Typed reads over an informer's store by namespace and label selector, with the store's consistency and
 * staleness (see `Store`). A selector string is parsed on every call (throwing `SelectorError` when
 * invalid); in hot paths, parse once with `parseLabelSelector` and pass the result.
 * @see client-go's generated listers (`PodLister`, `PodNamespaceLister`)
 */
export class Lister<T extends KubeObject> {
  constructor(private readonly store: Store<T, string>) {}

  /** Every object matching `selector` (all when absent), across namespaces. O(size). */
  list(selector?: string | LabelSelector): DeepReadonly<T>[] {
    return filterByLabels(this.store.list(), selector);
  }

  /** The cluster-scoped object `name` (for namespaced objects use `namespace(ns).get(name)`). O(1). */
  get(name: string): DeepReadonly<T> | undefined {
    return this.store.get(name);
  }

  /** Reads restricted to `namespace`, served from the store's namespace index. */
  namespace(namespace: string): NamespaceLister<T> {
    const { store } = this;
    return {
      list: (selector) => filterByLabels(store.byIndex(namespaceIndex, namespace), selector),
      get: (name) => store.get(namespace, name),
    };
  }
}

function filterByLabels<T extends KubeObject>(
  objects: DeepReadonly<T>[],
  selector: string | LabelSelector | undefined,
): DeepReadonly<T>[] {
  if (selector === undefined) return objects;
  const parsed = typeof selector === 'string' ? LabelSelector.parse(selector) : selector;
  if (parsed.isEmpty) return objects;
  return objects.filter((object) => parsed.matches((object as DeepReadonly<KubeObject>).metadata?.labels));
}
