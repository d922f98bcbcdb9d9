import type { DeepReadonly } from '../store/deep-readonly.js';

/** The part of an object's metadata the mappings read. Typed models (`V1Pod`…) are assignable to it. */
export interface MappedObject {
  readonly metadata?: {
    readonly namespace?: string;
    readonly labels?: { readonly [key: string]: string };
    readonly ownerReferences?: readonly {
      readonly apiVersion: string;
      readonly kind: string;
      readonly name: string;
      readonly controller?: boolean;
    }[];
  };
}

/** Maps a secondary object to the keys of the primary objects it concerns. */
export type PrimaryKeyMapping<S> = (object: DeepReadonly<S>) => Iterable<string>;

export interface OwnerMappingOptions {
  /** The primary's kind, e.g. `ReplicaSet`. */
  readonly kind: string;
  /** The primary's group, e.g. `apps` (`''` for the core group); any group when omitted. */
  readonly group?: string;
  /** False for a cluster-scoped primary, whose keys have no namespace; default true. */
  readonly namespaced?: boolean;
}

/**
 * Maps an object to its controlling owner: the owner reference with `controller: true`, when it is of the
 * given kind (and group). An owner is in the object's namespace or cluster-scoped, never in another one.
 * @see client-go `handler.EnqueueRequestForOwner` with `OnlyControllerOwner` (controller-runtime)
 */
export function byControllerOwner<S extends MappedObject>(
  options: OwnerMappingOptions,
): PrimaryKeyMapping<S> {
  const namespaced = options.namespaced ?? true;
  return (object) => {
    const owner = object.metadata?.ownerReferences?.find((reference) => reference.controller === true);
    if (owner === undefined || owner.kind !== options.kind) return [];
    if (options.group !== undefined && groupOf(owner.apiVersion) !== options.group) return [];
    return [primaryKey(namespaced, object.metadata?.namespace, owner.name)];
  };
}

/**
 * Maps an object to the primary named by one of its labels, e.g. `byLabel('app.example.com/node')`.
 * Objects without the label map to nothing.
 */
export function byLabel<S extends MappedObject>(
  label: string,
  options: { readonly namespaced?: boolean } = {},
): PrimaryKeyMapping<S> {
  const namespaced = options.namespaced ?? true;
  return (object) => {
    const value = object.metadata?.labels?.[label];
    return value === undefined || value === ''
      ? []
      : [primaryKey(namespaced, object.metadata?.namespace, value)];
  };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

function primaryKey(namespaced: boolean, namespace: string | undefined, name: string): string {
  return namespaced && namespace !== undefined && namespace !== '' ? `${namespace}/${name}` : name;
}
