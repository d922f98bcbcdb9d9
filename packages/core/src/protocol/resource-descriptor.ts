import type { KubeObject } from './kube-object.js';

/**
 * Names one Kubernetes resource and, through `T`, the type of its objects. `T` is a phantom: descriptors
 * are plain data, and `defineResource<V1Pod>()` only tells the compiler what the objects look like.
 */
export interface ResourceDescriptor<T extends KubeObject = KubeObject> {
  /** API group; `''` for the core group (`/api/v1`). */
  readonly group: string;
  readonly version: string;
  /** Plural, lower-case resource name as it appears in paths, e.g. `pods`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Never set; carries `T` so that informers built from this descriptor are typed. */
  readonly __objectType?: T;
}

export interface ResourceDefinition {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** Describes a resource, typically a custom resource: `defineResource<MyCrd>({ group: 'example.com', … })`. */
export function defineResource<T extends KubeObject>(definition: ResourceDefinition): ResourceDescriptor<T> {
  return Object.freeze({ ...definition });
}

/** `v1` for the core group, `apps/v1` otherwise: the `apiVersion` field of the resource's objects. */
export function apiVersionOf(resource: Pick<ResourceDescriptor, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/**
 * The collection or object path of a resource. Without `namespace`, a namespaced resource is addressed
 * across all namespaces (`/api/v1/pods`); a cluster-scoped resource ignores `namespace`.
 */
export function resourcePath(
  resource: Pick<ResourceDescriptor, 'group' | 'version' | 'resource' | 'namespaced'>,
  target: { readonly namespace?: string | undefined; readonly name?: string | undefined } = {},
): string {
  const root =
    resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const scope =
    resource.namespaced && target.namespace !== undefined
      ? `/namespaces/${encodeURIComponent(target.namespace)}`
      : '';
  const name = target.name === undefined ? '' : `/${encodeURIComponent(target.name)}`;
  return `${root}${scope}/${resource.resource}${name}`;
}
