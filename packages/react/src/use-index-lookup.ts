import type { DeepReadonly, KubeObject, NamespaceIndex, Store } from '@kubeinformers/core';
import { useCallback } from 'react';
import type { InformerDefinition } from './informer-definition.js';
import { shallowEqual, useInformerSelector } from './use-informer-selector.js';

const noObjects: readonly never[] = Object.freeze([]);

/**
 * The objects whose index `indexName` holds `value` (`store.byIndex`): typed by the definition's
 * indexers, so a misspelled index name does not compile. An empty `value` returns nothing without a
 * lookup (a search box before typing). Re-renders only when the matching objects change.
 */
export function useIndexLookup<T extends KubeObject, I extends string>(
  definition: InformerDefinition<T, I>,
  indexName: I | NamespaceIndex,
  value: string,
): readonly DeepReadonly<T>[] {
  const select = useCallback(
    (view: { readonly store: Store<T, I> }, context: { readonly isServer: boolean }) =>
      context.isServer || value === '' ? noObjects : view.store.byIndex(indexName, value),
    [indexName, value],
  );
  return useInformerSelector(definition, select, shallowEqual);
}
