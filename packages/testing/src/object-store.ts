import { randomUUID } from 'node:crypto';
import type { ApiResource } from './api-resource.js';
import { resourceKey } from './api-resource.js';
import { ApiStatusError, alreadyExists, conflict, invalid, notFound } from './api-status-error.js';
import { StoredEvent, type StoredEventType } from './event-history.js';
import { jsonEqual } from './json-values.js';
import { orderedMetadata, randomSuffix, specChanged, stripType, timestamp } from './object-metadata.js';
import { applyPatch, type PatchType } from './object-patch.js';
import { validateObject } from './object-validation.js';
import { OwnerIndex } from './owner-index.js';
import type { ResourceCatalog } from './resource-catalog.js';
import { ResourceTable } from './resource-table.js';
import { type JsonObject, type ObjectMetadata, objectKey, StoredRevision } from './stored-revision.js';

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

/**
 * What happens to dependents (objects whose `ownerReferences` name the deleted object): `Background`
 * (default) deletes them right after the owner, `Orphan` removes the reference and keeps them.
 * `Foreground` is treated as `Background` (the owner does not wait for its dependents).
 */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions extends WriteOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: PropagationPolicy;
}

export type ChangeListener = (table: ResourceTable, event: StoredEvent) => void;

/**
 * The storage engine: one table per resource, one cluster-wide resourceVersion counter, and the write
 * semantics of the API server (uid, creationTimestamp, generation, optimistic concurrency, finalizers,
 * no-op writes that do not bump the resourceVersion). Writes are synchronous and emit one event each to
 * the listeners, in resourceVersion order.
 */
export class ObjectStore {
  private readonly tables = new Map<string, ResourceTable>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly owners = new OwnerIndex();
  private counter = 0;
  private nextClusterIp = 10;

  constructor(
    readonly catalog: ResourceCatalog,
    private historySize: number,
    private readonly now: () => Date,
  ) {}

  /** The latest resourceVersion handed out, cluster-wide. */
  get resourceVersion(): number {
    return this.counter;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  table(resource: ApiResource): ResourceTable {
    const key = resourceKey(resource);
    let table = this.tables.get(key);
    if (table === undefined) {
      table = new ResourceTable(resource, this.historySize);
      this.tables.set(key, table);
    }
    return table;
  }

  allTables(): ResourceTable[] {
    return [...this.tables.values()];
  }

  /** Drops all history: from now on, only the current resourceVersion can be watched or listed exactly. */
  compact(): void {
    for (const table of this.tables.values()) table.history.compact(this.counter);
  }

  setHistorySize(size: number): void {
    this.historySize = size;
    for (const table of this.tables.values()) table.history.resize(size);
  }

  get(resource: ApiResource, namespace: string | undefined, name: string): StoredRevision {
    const revision = this.table(resource).objects.get(objectKey(resource, namespace, name));
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
    if (targetNamespace !== undefined) this.requireNamespace(targetNamespace, resource);
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
      while (table.objects.has(objectKey(resource, targetNamespace, name)));
    }
    const key = objectKey(resource, targetNamespace, name);
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
    this.applyDefaults(resource, stored);
    if (options.dryRun === true) return new StoredRevision(resource, key, stored, this.counter);
    return this.commit(table, 'ADDED', key, stored, undefined);
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
    if (
      given.resourceVersion !== undefined &&
      given.resourceVersion !== '' &&
      given.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(
        { ...resource, name },
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
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
    const given = (object.metadata ?? {}) as ObjectMetadata;
    if (given.resourceVersion !== current.metadata.resourceVersion && given.resourceVersion !== undefined) {
      throw conflict(
        { ...resource, name },
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
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
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid !== undefined && uid !== current.metadata.uid) {
      throw conflict(
        { ...resource, name },
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (resourceVersion !== undefined && resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        { ...resource, name },
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
      );
    }
    if (options.dryRun === true) return current;
    const finalizers = current.metadata.finalizers ?? [];
    if (finalizers.length > 0) {
      if (current.metadata.deletionTimestamp !== undefined) return current;
      const metadata = orderedMetadata({
        ...current.metadata,
        deletionTimestamp: timestamp(this.now()),
        deletionGracePeriodSeconds: 0,
      });
      return this.commit(
        this.table(resource),
        'MODIFIED',
        current.key,
        { ...current.object, metadata },
        current,
      );
    }
    if (resource.group === '' && resource.resource === 'namespaces') this.deleteNamespaceContents(name);
    return this.remove(current, current, options.propagationPolicy);
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
      const deleting = current.metadata.deletionTimestamp !== undefined;
      const oldFinalizers = current.metadata.finalizers ?? [];
      const added = (given.finalizers ?? []).filter((finalizer) => !oldFinalizers.includes(finalizer));
      if (deleting && added.length > 0) {
        throw invalid({ ...resource, name: current.metadata.name ?? '' }, [
          {
            reason: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
          },
        ]);
      }
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
    const nextMetadata = next.metadata as ObjectMetadata;
    if (nextMetadata.deletionTimestamp !== undefined && (nextMetadata.finalizers ?? []).length === 0) {
      return this.remove(new StoredRevision(resource, current.key, next, current.resourceVersion), current);
    }
    return this.commit(this.table(resource), 'MODIFIED', current.key, next, current);
  }

  private remove(
    last: StoredRevision,
    previous: StoredRevision = last,
    propagationPolicy: PropagationPolicy = 'Background',
  ): StoredRevision {
    const table = this.table(last.resource);
    table.remove(last.key);
    const deleted = this.commit(table, 'DELETED', last.key, last.object, previous);
    const uid = last.metadata.uid;
    if (uid !== undefined) this.collectDependents(uid, propagationPolicy);
    return deleted;
  }

  /** The garbage collector, synchronously: dependents go (or lose the reference) right after their owner. */
  private collectDependents(uid: string, propagationPolicy: PropagationPolicy): void {
    for (const { table: tableKey, key } of this.owners.dependentsOf(uid)) {
      const dependent = this.tables.get(tableKey)?.objects.get(key);
      if (dependent === undefined) continue;
      const { namespace, name = '' } = dependent.metadata;
      if (propagationPolicy === 'Orphan') {
        const { ownerReferences: references = [], ...rest } = dependent.metadata;
        const ownerReferences = references.filter((reference) => reference.uid !== uid);
        const metadata = ownerReferences.length === 0 ? rest : { ...rest, ownerReferences };
        this.commit(
          this.table(dependent.resource),
          'MODIFIED',
          key,
          { ...dependent.object, metadata },
          dependent,
        );
      } else {
        this.delete(dependent.resource, namespace, name, { propagationPolicy });
      }
    }
  }

  private deleteNamespaceContents(namespace: string): void {
    const prefix = `${namespace}/`;
    for (const table of this.tables.values()) {
      if (!table.resource.namespaced) continue;
      for (const key of [...table.sortedKeys()]) {
        const revision = key.startsWith(prefix) ? table.objects.get(key) : undefined;
        if (revision !== undefined) this.remove(revision);
      }
    }
  }

  private commit(
    table: ResourceTable,
    type: StoredEventType,
    key: string,
    object: JsonObject,
    previous: StoredRevision | undefined,
  ): StoredRevision {
    this.counter += 1;
    const metadata = { ...(object.metadata as ObjectMetadata), resourceVersion: String(this.counter) };
    const revision = new StoredRevision(table.resource, key, { ...object, metadata }, this.counter);
    if (type !== 'DELETED') table.set(revision);
    this.owners.update(previous, type === 'DELETED' ? undefined : revision);
    const event = new StoredEvent(type, revision, previous);
    table.history.append(event);
    for (const listener of this.listeners) listener(table, event);
    return revision;
  }

  private requireNamespace(namespace: string, resource: ApiResource): void {
    const namespaces = this.catalog.resolve({ group: '', resource: 'namespaces' });
    const found = this.table(namespaces).objects.get(namespace);
    if (found === undefined) throw notFound({ ...namespaces, name: namespace });
    if (found.metadata.deletionTimestamp !== undefined) {
      throw new ApiStatusError({
        code: 403,
        reason: 'Forbidden',
        message: `${resource.resource} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
      });
    }
  }

  /** The few defaults clients commonly read back; everything else is stored as sent. */
  private applyDefaults(resource: ApiResource, object: JsonObject): void {
    if (resource.group !== '') return;
    const metadata = object.metadata as ObjectMetadata;
    if (resource.resource === 'namespaces') {
      metadata.labels = { ...metadata.labels, 'kubernetes.io/metadata.name': metadata.name ?? '' };
      object.status ??= { phase: 'Active' };
    } else if (resource.resource === 'pods') {
      object.status ??= { phase: 'Pending', qosClass: 'BestEffort' };
    } else if (resource.resource === 'services') {
      const spec: JsonObject = { type: 'ClusterIP', ...(object.spec as JsonObject | undefined) };
      if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
        // Sequential addresses from the default service CIDR 10.96.0.0/12.
        const address = this.nextClusterIp++;
        spec.clusterIP = `10.96.${address >> 8}.${address & 255}`;
        spec.clusterIPs = [spec.clusterIP];
      }
      object.spec = spec;
    }
  }
}
