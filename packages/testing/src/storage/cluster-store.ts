import type { KubeObject, KubeObjectMeta } from '@kubeinformers/core';
import type { ApiResource } from '../resources/api-resource.js';
import type { ResourceTarget } from '../resources/resource-catalog.js';
import { cloneJson } from './json-values.js';
import { ObjectFilter } from './object-filter.js';
import type { PatchType } from './object-patch.js';
import type { DeleteOptions, ObjectStore } from './object-store.js';
import { readPage } from './snapshot-page.js';
import type { StoredRevision } from './stored-revision.js';

/** Metadata of a stored object: what the server always sets is not optional. */
export interface StoredMetadata extends KubeObjectMeta {
  name: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  generateName?: string;
  deletionTimestamp?: string;
  finalizers?: string[];
  [field: string]: unknown;
}

/**
 * An object as the in-process API returns it: `kind`, `apiVersion` and server-set metadata always
 * present. Pass a type argument for your own model: `server.store.get<V1Pod>('pods', key)`.
 */
export interface StoredObject extends KubeObject {
  kind: string;
  apiVersion: string;
  metadata: StoredMetadata;
  [field: string]: unknown;
}

/** What the in-process API accepts: a typed model (`V1Pod`) or any JSON object literal. */
export type ObjectInput = KubeObject | { readonly [field: string]: unknown };

export interface ListSelection {
  /** Only this namespace (namespaced resources); default all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

// Each store's object storage, for `createHandedOver` (package code only: the package does not export it).
const objectStores = new WeakMap<ClusterStore, ObjectStore>();

/**
 * The in-process view of the fake cluster's objects, for tests and demos. Every write goes through the
 * same object storage as HTTP requests: it gets a resourceVersion and is delivered to open watches.
 * Unlike HTTP writes, in-process writes may set `status` directly (fixtures arrive with the status they
 * were built with); use `{ subresource: 'status' }` to update only the status.
 *
 * Objects are named by key, as informer stores do: `namespace/name`, or `name` for cluster-scoped ones
 * (`name` alone also means `default/name` for a namespaced resource). Returned objects are copies.
 * Failures throw `ApiStatusError` with the status code the HTTP API would answer.
 */
export class ClusterStore {
  constructor(private readonly objectStore: ObjectStore) {
    objectStores.set(this, objectStore);
  }

  /** The latest resourceVersion, cluster-wide, as the API spells it. */
  get resourceVersion(): string {
    return String(this.objectStore.resourceVersion);
  }

  create<T extends KubeObject = StoredObject>(
    target: ResourceTarget,
    object: ObjectInput,
    options: { readonly dryRun?: boolean } = {},
  ): T {
    const resource = this.resolve(target);
    const copy = cloneJson(object) as KubeObject;
    return this.objectStore.create(resource, copy.metadata?.namespace, copy, options).toObject<T>();
  }

  get<T extends KubeObject = StoredObject>(target: ResourceTarget, key: string): T | undefined {
    const resource = this.resolve(target);
    const { namespace, name } = splitKey(resource, key);
    return this.objectStore
      .table(resource)
      .objects.get(resource.namespaced ? `${namespace}/${name}` : name)
      ?.toObject<T>();
  }

  /** Objects in list order (by key), like a list request. */
  list<T extends KubeObject = StoredObject>(target: ResourceTarget, selection: ListSelection = {}): T[] {
    return this.revisions(target, selection).map((revision) => revision.toObject<T>());
  }

  count(target: ResourceTarget, selection: ListSelection = {}): number {
    return this.revisions(target, selection).length;
  }

  /** PUT semantics: `metadata.resourceVersion`, when set, must be current (else 409 Conflict). */
  update<T extends KubeObject = StoredObject>(
    target: ResourceTarget,
    object: ObjectInput,
    options: { readonly subresource?: 'status'; readonly dryRun?: boolean } = {},
  ): T {
    const resource = this.resolve(target);
    const copy = cloneJson(object) as KubeObject;
    const namespace = resource.namespaced ? (copy.metadata?.namespace ?? 'default') : undefined;
    return this.objectStore
      .update(resource, namespace, copy.metadata?.name ?? '', copy, options)
      .toObject<T>();
  }

  /** Patches with a merge patch (default), a JSON patch or the strategic-merge approximation. */
  patch<T extends KubeObject = StoredObject>(
    target: ResourceTarget,
    key: string,
    patch: unknown,
    options: { readonly type?: PatchType; readonly subresource?: 'status' } = {},
  ): T {
    const resource = this.resolve(target);
    const { namespace, name } = splitKey(resource, key);
    const { type = 'merge', ...writeOptions } = options;
    return this.objectStore.patch(resource, namespace, name, type, patch, writeOptions).toObject<T>();
  }

  /**
   * Read-modify-write: `mutator` edits (or returns) a copy of the current object, which is then stored.
   * Status changes are kept (no subresource rules in-process). No change → no new resourceVersion.
   */
  mutate<T extends KubeObject = StoredObject>(
    target: ResourceTarget,
    key: string,
    mutator: (draft: T) => void,
  ): T {
    const resource = this.resolve(target);
    const { namespace, name } = splitKey(resource, key);
    const draft = this.objectStore.get(resource, namespace, name).toObject<T>();
    // The mutator edits the draft in place or returns a replacement.
    const returned = mutator(draft) as unknown;
    const result = (returned ?? draft) as T;
    return this.objectStore.update(resource, namespace, name, result, {}).toObject<T>();
  }

  /** Deletes (or, with finalizers, marks for deletion) and returns the object's last state. */
  delete<T extends KubeObject = StoredObject>(
    target: ResourceTarget,
    key: string,
    options: DeleteOptions = {},
  ): T {
    const resource = this.resolve(target);
    const { namespace, name } = splitKey(resource, key);
    return this.objectStore.delete(resource, namespace, name, options).toObject<T>();
  }

  private revisions(target: ResourceTarget, selection: ListSelection): readonly StoredRevision[] {
    const resource = this.resolve(target);
    const filter = ObjectFilter.parse(
      resource,
      selection.namespace,
      selection.labelSelector,
      selection.fieldSelector,
    );
    return readPage(this.objectStore.table(resource), this.objectStore.resourceVersion, {
      filter,
      at: 'latest',
    }).items;
  }

  private resolve(target: ResourceTarget): ApiResource {
    return this.objectStore.catalog.resolve(target);
  }
}

/**
 * `store.create` without its two copies, for package code that builds many objects (`generatePods`). The
 * store takes `object` over: the caller built it fresh, shares none of its parts with anything else and
 * never touches it again. Nothing is returned, so nothing is copied out either; the store never mutates
 * what it holds, and its readers still get copies.
 */
export function createHandedOver(store: ClusterStore, target: ResourceTarget, object: KubeObject): void {
  const objectStore = objectStores.get(store);
  if (objectStore === undefined) throw new Error('not a store of this package');
  objectStore.create(objectStore.catalog.resolve(target), object.metadata?.namespace, object);
}

function splitKey(resource: ApiResource, key: string): { namespace: string | undefined; name: string } {
  if (!resource.namespaced) return { namespace: undefined, name: key };
  const slash = key.indexOf('/');
  return slash === -1
    ? { namespace: 'default', name: key }
    : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
