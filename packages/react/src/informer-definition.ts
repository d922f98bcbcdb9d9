import type { InformerOptions, KubeObject, ResourceDescriptor } from '@kubeinformers/core';

/**
 * What a component watches: a resource and the informer's options (namespace, selectors, indexers,
 * transform), defined once at module level and passed to the hooks. Each `InformerProvider` turns a
 * definition into one shared informer, so every component using the same definition shares one
 * list+watch and one cache. Defining it outside render matters: the factory compares indexers and
 * transforms by identity, and a fresh function per render would conflict.
 */
export interface InformerDefinition<T extends KubeObject, I extends string = never> {
  readonly resource: ResourceDescriptor<T>;
  readonly options: InformerOptions<T, I> & { readonly metadataOnly?: false };
}

/**
 * Defines an informer for the hooks; `I` (the index names) comes from `options.indexers`, so
 * `useIndexLookup(definition, 'byIp', …)` fails to compile when the index is `byIP`.
 */
export function defineInformer<T extends KubeObject, I extends string = never>(
  resource: ResourceDescriptor<T>,
  options: InformerOptions<T, I> & { readonly metadataOnly?: false } = {},
): InformerDefinition<T, I> {
  return Object.freeze({ resource, options });
}
