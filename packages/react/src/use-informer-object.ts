import type { DeepReadonly, KubeObject, Store } from '@kubeinformers/core';
import { useCallback } from 'react';
import type { InformerDefinition } from './informer-definition.js';
import { useInformerSelector } from './use-informer-selector.js';

/**
 * One object by key (`namespace/name`, or `name` for cluster-scoped kinds), or `undefined` while absent,
 * on the server and before the first list. Re-renders only when that object changes.
 */
export function useInformerObject<T extends KubeObject, I extends string>(
  definition: InformerDefinition<T, I>,
  key: string,
): DeepReadonly<T> | undefined {
  const select = useCallback(
    (view: { readonly store: Store<T, I> }, context: { readonly isServer: boolean }) =>
      context.isServer ? undefined : view.store.getByKey(key),
    [key],
  );
  return useInformerSelector(definition, select);
}
