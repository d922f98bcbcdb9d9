import {
  type DeepReadonly,
  type KubeObject,
  type LabelSelector,
  parseLabelSelector,
  type Store,
} from '@kubeinformers/core';
import { useCallback, useMemo } from 'react';
import type { InformerDefinition } from './informer-definition.js';
import { shallowEqual, useInformerSelector } from './use-informer-selector.js';

export interface ObjectFilter<T> {
  /** Only objects of this namespace (read through the store's namespace index, not a scan). */
  readonly namespace?: string;
  /** Only objects whose labels match; a string is parsed once per distinct value (`SelectorError` if invalid). */
  readonly labelSelector?: string | LabelSelector;
  /** Only objects for which this returns true; keep it stable (`useCallback`) to avoid a rerun per render. */
  readonly where?: (object: DeepReadonly<T>) => boolean;
}

const noObjects: readonly never[] = Object.freeze([]);

/**
 * The informer's objects, optionally narrowed by namespace, label selector and predicate, in the store's
 * order. The array keeps its identity while its elements do, so the component re-renders only when an
 * object it shows was added, changed or removed, never for changes elsewhere in the cache. Empty on the
 * server and until the first list arrived (see `useInformerHealth` to tell "empty" from "not synced").
 */
export function useInformerObjects<T extends KubeObject, I extends string>(
  definition: InformerDefinition<T, I>,
  filter: ObjectFilter<T> = {},
): readonly DeepReadonly<T>[] {
  const { namespace, labelSelector, where } = filter;
  const selector = useMemo(
    () => (typeof labelSelector === 'string' ? parseLabelSelector(labelSelector) : labelSelector),
    [labelSelector],
  );
  const select = useCallback(
    (view: { readonly store: Store<T, I> }, context: { readonly isServer: boolean }) => {
      if (context.isServer) return noObjects;
      let objects = namespace === undefined ? view.store.list() : view.store.byIndex('namespace', namespace);
      if (selector !== undefined)
        objects = objects.filter((object) => selector.matches(object.metadata?.labels ?? {}));
      if (where !== undefined) objects = objects.filter(where);
      return objects;
    },
    [namespace, selector, where],
  );
  return useInformerSelector(definition, select, shallowEqual);
}
