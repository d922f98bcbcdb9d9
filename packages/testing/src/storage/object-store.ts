import { randomUUID } from 'node:crypto';
import type { ApiResource } from '../resources/api-resource.js';
import type { ResourceCatalog } from '../resources/resource-catalog.js';
import { ApiStatusError, alreadyExists, notFound } from './api-status-error.js';
import { mirrorEventsToCore } from './event-api-mirror.js';
import {
  finalized,
  forbidNewFinalizersWhileDeleting,
  hasFinalizers,
  markedForDeletion,
} from './finalizers.js';
import { GarbageCollector, type PropagationPolicy } from './garbage-collector.js';
import { jsonEqual } from './json-values.js';
import { isNamespaceResource, namespaceContents, requireActiveNamespace } from './namespace-lifecycle.js';
import { ObjectDefaults } from './object-defaults.js';
import { orderedMetadata, randomSuffix, specChanged, stripType, timestamp } from './object-metadata.js';
import { applyPatch, type PatchType } from './object-patch.js';
import { validateObject } from './object-validation.js';
import {
  type DeletePreconditions,
  requireDeletePreconditions,
  requireResourceVersion,
} from './optimistic-concurrency.js';
import type { ResourceTable } from './resource-table.js';
import { type ChangeListener, ResourceTables } from './resource-tables.js';
import { type JsonObject, type ObjectMetadata, StoredRevision, storageKey } from './stored-revision.js';

export interface WriteOptions {
  /** `dryRun=All`: validate and compute the result, store nothing, emit nothing. */
  readonly dryRun?: boolean;
  /**
   * Apply the API server's rules for requests: a create resets `status` of resources with a status
   * subresource, and a write to the main resource leaves `status` unchanged. In-process writes default
   * to `false`, so fixtures can be created with any status.
   */
  readonly enforceSubresources?: boolean;
  /** Write `…/status` only: everything but `status` keeps its stored value. */
  readonly subresource?: 'status';
}

export interface DeleteOptions extends WriteOptions {
  readonly preconditions?: DeletePreconditions;
  readonly propagationPolicy?: PropagationPolicy;
  /** Graceful deletion only (see `ObjectStore.gracefulDeletion`); `0` deletes at once. */
  readonly gracePeriodSeconds?: number;
}

/**
 * The grace period (seconds) a delete of `current` must wait, or 0 to delete at once: the pod strategy
 * of the real API server, installed only when something (a simulated kubelet) finishes such deletes.
 */
export type GracefulDeletion = (current: StoredRevision, options: DeleteOptions) => number;

/**
 * The objects of the fake cluster with the write semantics of the API server: get, create, update
 * (PUT), patch and delete, each validated and stamped (uid, creationTimestamp, generation), no-op
 * writes that do not bump the resourceVersion, optimistic concurrency, finalizers, cascading deletion and
 * namespace teardown. Writes are synchronous and emit one event each, in resourceVersion order, to the
 * `onChange` listeners. Each rule lives in its own module; this class applies them in the API server's
 * order.
 */
export class ObjectStore {
  private readonly tables: ResourceTables;
  private readonly garbageCollector: GarbageCollector;
  private readonly defaults = new ObjectDefaults();
  /** Without it every delete is immediate (finalizers aside): nothing would finish a graceful one. */
  gracefulDeletion: GracefulDeletion | undefined;

  constructor(
    readonly catalog: ResourceCatalog,
    historySize: number,
    private readonly now: () => Date,
  ) {
    this.tables = new ResourceTables(historySize);
    this.garbageCollector = new GarbageCollector(this.tables, (dependent, propagationPolicy) =>
      this.delete(dependent.resource, dependent.metadata.namespace, dependent.metadata.name ?? '', {
        propagationPolicy,
      }),
    );
    mirrorEventsToCore(this.tables, catalog);
  }

  /** The latest resourceVersion handed out, cluster-wide. */
  get resourceVersion(): number {
    return this.tables.resourceVersion;
  }

  onChange(listener: ChangeListener): () => void {
    return this.tables.onChange(listener);
  }

  table(resource: ApiResource): ResourceTable {
    return this.tables.table(resource);
  }

  allTables(): ResourceTable[] {
    return this.tables.all();
  }

  /** Drops all history: from now on, only the current resourceVersion can be watched or listed exactly. */
  compact(): void {
    this.tables.compact();
  }

  get(resource: ApiResource, namespace: string | undefined, name: string): StoredRevision {
    const revision = this.table(resource).objects.get(storageKey(resource, namespace, name));
    if (revision === undefined) throw notFound({ ...resource, name });
    return revision;
  }

  create(
    resource: ApiResource,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): StoredRevision {
    const object = validateObject(resource, body, namespace);
    const given = (object.metadata ?? {}) as ObjectMetadata;
    const targetNamespace = resource.namespaced ? namespace || given.namespace || 'default' : undefined;
    if (targetNamespace !== undefined) {
      requireActiveNamespace(this.tables, this.catalog, targetNamespace, resource);
    }
    if (given.resourceVersion !== undefined && given.resourceVersion !== '') {
      throw new ApiStatusError({
        code: 500,
        reason: 'InternalError',
        message: 'resourceVersion should not be set on objects to be created',
      });
    }
    const table = this.table(resource);
    let name = given.name;
    if (name === undefined || name === '') {
      do name = `${given.generateName}${randomSuffix()}`;
      while (table.objects.has(storageKey(resource, targetNamespace, name)));
    }
    const key = storageKey(resource, targetNamespace, name);
    if (table.objects.has(key)) throw alreadyExists({ ...resource, name });

    const metadata = orderedMetadata({
      ...given,
      name,
      namespace: targetNamespace,
      uid: randomUUID(),
      // Holds its place in the field order; the commit fills it in.
      resourceVersion: '',
      generation: 1,
      // A fixture describes an object created earlier: in-process writes keep the time they bring.
      creationTimestamp:
        options.enforceSubresources !== true && given.creationTimestamp
          ? given.creationTimestamp
          : timestamp(this.now()),
      deletionTimestamp: undefined,
      deletionGracePeriodSeconds: undefined,
    });
    const stored: JsonObject = { ...stripType(object), metadata };
    if (options.enforceSubresources === true && resource.hasStatus) delete stored.status;
    this.defaults.apply(resource, stored);
    if (options.dryRun === true) return new StoredRevision(resource, key, stored, this.resourceVersion);
    return this.tables.commit(table, 'ADDED', key, stored, undefined);
  }

  /** PUT semantics: replace the object, honouring `metadata.resourceVersion` as a precondition. */
  update(
    resource: ApiResource,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): StoredRevision {
    const current = this.get(resource, namespace, name);
    const object = validateObject(resource, body, namespace);
    const given = (object.metadata ?? {}) as ObjectMetadata;
    if (given.name !== undefined && given.name !== name) {
      throw new ApiStatusError({
        code: 400,
        reason: 'BadRequest',
        message: `the name of the object (${given.name}) does not match the name on the URL (${name})`,
      });
    }
    // An empty resourceVersion on PUT means "whatever is stored".
    requireResourceVersion(current, given.resourceVersion === '' ? undefined : given.resourceVersion);
    return this.replaceWith(current, stripType(object), options);
  }

  patch(
    resource: ApiResource,
    namespace: string | undefined,
    name: string,
    patchType: PatchType,
    patch: unknown,
    options: WriteOptions = {},
  ): StoredRevision {
    const current = this.get(resource, namespace, name);
    const patched = applyPatch(current.object, patchType, patch) as JsonObject;
    const object = validateObject(resource, patched, namespace);
    requireResourceVersion(current, (object.metadata as ObjectMetadata | undefined)?.resourceVersion);
    return this.replaceWith(current, stripType(object), options);
  }

  /**
   * DELETE semantics. With finalizers the object only gets `deletionTimestamp` (a `MODIFIED` event) and
   * goes away once an update clears them; otherwise it is removed (`DELETED`). Deleting a namespace
   * removes everything in it. Returns the object's last state.
   */
  delete(
    resource: ApiResource,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): StoredRevision {
    const current = this.get(resource, namespace, name);
    requireDeletePreconditions(current, options.preconditions);
    if (options.dryRun === true) return current;
    const grace = this.gracefulDeletion?.(current, options) ?? 0;
    if (grace > 0) return this.markTerminating(current, grace);
    if (hasFinalizers(current.metadata)) {
      if (current.metadata.deletionTimestamp !== undefined) return current;
      const marked = markedForDeletion(current, this.now());
      return this.tables.commit(this.table(resource), 'MODIFIED', current.key, marked, current);
    }
    if (isNamespaceResource(resource)) {
      for (const contained of namespaceContents(this.tables, name)) this.remove(contained);
    }
    return this.remove(current, current, options.propagationPolicy);
  }

  /** Sets `deletionTimestamp` `grace` seconds ahead, or keeps an earlier one (a delete only shortens it). */
  private markTerminating(current: StoredRevision, grace: number): StoredRevision {
    const deadline = new Date(this.now().getTime() + grace * 1000);
    const existing = current.metadata.deletionTimestamp;
    if (existing !== undefined && Date.parse(existing) <= deadline.getTime()) return current;
    const metadata = orderedMetadata({
      ...current.metadata,
      deletionTimestamp: timestamp(deadline),
      deletionGracePeriodSeconds: grace,
    });
    return this.tables.commit(
      this.table(current.resource),
      'MODIFIED',
      current.key,
      { ...current.object, metadata },
      current,
    );
  }

  private replaceWith(current: StoredRevision, object: JsonObject, options: WriteOptions): StoredRevision {
    const resource = current.resource;
    const old = current.object;
    const given = (object.metadata ?? {}) as ObjectMetadata;
    let next: JsonObject;
    if (options.subresource === 'status') {
      next = { ...old, status: object.status };
      if (object.status === undefined) delete next.status;
    } else {
      next = { ...object };
      if (resource.hasStatus && options.enforceSubresources === true) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      forbidNewFinalizersWhileDeleting(current, given);
      next.metadata = orderedMetadata({
        ...given,
        name: current.metadata.name,
        namespace: current.metadata.namespace,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        deletionTimestamp: current.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds,
        generation: current.metadata.generation,
        resourceVersion: current.metadata.resourceVersion,
      });
    }
    if (specChanged(old, next)) {
      next.metadata = {
        ...(next.metadata as ObjectMetadata),
        generation: (current.metadata.generation ?? 0) + 1,
      };
    }
    // The API server skips writes that change nothing: no new resourceVersion, no event.
    if (jsonEqual(next, old)) return current;
    if (options.dryRun === true)
      return new StoredRevision(resource, current.key, next, current.resourceVersion);
    if (finalized(next.metadata as ObjectMetadata)) {
      return this.remove(new StoredRevision(resource, current.key, next, current.resourceVersion), current);
    }
    return this.tables.commit(this.table(resource), 'MODIFIED', current.key, next, current);
  }

  /** Removes `last` (a `DELETED` event replacing `previous`), then its dependents. */
  private remove(
    last: StoredRevision,
    previous: StoredRevision = last,
    propagationPolicy: PropagationPolicy = 'Background',
  ): StoredRevision {
    const deleted = this.tables.commit(this.table(last.resource), 'DELETED', last.key, last.object, previous);
    const uid = last.metadata.uid;
    if (uid !== undefined) this.garbageCollector.collect(uid, propagationPolicy);
    return deleted;
  }
}
