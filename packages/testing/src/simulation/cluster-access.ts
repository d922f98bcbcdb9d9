import type { Clock } from '@kubeinformers/core';
import type { ApiResource } from '../resources/api-resource.js';
import { resourceKey } from '../resources/api-resource.js';
import type { StoredEventType } from '../storage/event-history.js';
import { timestamp } from '../storage/object-metadata.js';
import type { DeleteOptions, ObjectStore } from '../storage/object-store.js';
import type { ResourceTable } from '../storage/resource-table.js';

// biome-ignore lint/suspicious/noExplicitAny: controllers read stored JSON defensively, field by field.
export type Json = any;

/** The resources the simulated controllers read and write, by the name they use for them. */
const targets = {
  pods: 'pods',
  nodes: 'nodes',
  services: 'services',
  leases: 'leases.coordination.k8s.io',
  replicasets: 'replicasets.apps',
  deployments: 'deployments.apps',
  jobs: 'jobs.batch',
  endpointslices: 'endpointslices.discovery.k8s.io',
} as const;

export type SimulatedResource = keyof typeof targets;

export interface SimulatedChange {
  readonly type: StoredEventType;
  /** The state after the change (for `DELETED`, the last state). Read-only: never mutate it. */
  readonly object: Json;
  readonly previous: Json | undefined;
  readonly key: string;
}

/**
 * What the simulated controllers see of the fake cluster: the stored objects themselves (read-only, no
 * copies: 50,000 pods are read without cloning), writes with the API's semantics, change events per
 * resource, and the server's clock. Timestamps the simulation writes follow that clock, so a
 * `ManualClock` moves them too.
 */
export class ClusterAccess {
  private readonly resources = new Map<SimulatedResource, ApiResource>();
  private readonly tables = new Map<SimulatedResource, ResourceTable>();
  private readonly listeners = new Map<string, ((change: SimulatedChange) => void)[]>();
  private readonly unsubscribe: () => void;
  private readonly wallStart = Date.now();
  private readonly clockStart: number;
  /** The latest failed reconciles (a write the API refused), newest last; for diagnostics. */
  readonly errors: { readonly controller: string; readonly key: string; readonly error: unknown }[] = [];

  constructor(
    private readonly objectStore: ObjectStore,
    readonly clock: Clock,
  ) {
    this.clockStart = clock.now();
    for (const [name, target] of Object.entries(targets)) {
      this.resources.set(name as SimulatedResource, objectStore.catalog.resolve(target));
    }
    this.unsubscribe = objectStore.onChange((table, event) => {
      const listeners = this.listeners.get(resourceKey(table.resource));
      if (listeners === undefined) return;
      const change: SimulatedChange = {
        type: event.type,
        object: event.object.object,
        previous: event.previous?.object,
        key: event.object.key,
      };
      for (const listener of listeners) listener(change);
    });
  }

  reportError(controller: string, key: string, error: unknown): void {
    this.errors.push({ controller, key, error });
    if (this.errors.length > 100) this.errors.shift();
  }

  /** Calls `listener` after every committed change of `resource` (inside the write: only enqueue work). */
  onChange(resource: SimulatedResource, listener: (change: SimulatedChange) => void): void {
    const key = resourceKey(this.resource(resource));
    this.listeners.set(key, [...(this.listeners.get(key) ?? []), listener]);
  }

  stop(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  /** The wall time of the simulation: the start time moved by the server's clock. */
  now(): Date {
    return new Date(this.wallStart + (this.clock.now() - this.clockStart));
  }

  timestamp(): string {
    return timestamp(this.now());
  }

  get(resource: SimulatedResource, key: string): Json | undefined {
    return this.table(resource).objects.get(key)?.object;
  }

  has(resource: SimulatedResource, key: string): boolean {
    return this.table(resource).objects.has(key);
  }

  /** Every stored object of `resource`, in no particular order. */
  *all(resource: SimulatedResource): Iterable<Json> {
    for (const revision of this.table(resource).objects.values()) yield revision.object;
  }

  count(resource: SimulatedResource): number {
    return this.table(resource).objects.size;
  }

  /** A resource's table, looked up once: reads are the hot path of every controller. */
  private table(resource: SimulatedResource): ResourceTable {
    let table = this.tables.get(resource);
    if (table === undefined) {
      table = this.objectStore.table(this.resource(resource));
      this.tables.set(resource, table);
    }
    return table;
  }

  create(resource: SimulatedResource, object: Json): Json {
    return this.objectStore.create(this.resource(resource), object.metadata?.namespace, object).object;
  }

  /** Replaces the object (the stored resourceVersion is used: the simulation reads current state). */
  replace(resource: SimulatedResource, object: Json): Json {
    const { resourceVersion: _, ...metadata } = object.metadata;
    return this.objectStore.update(this.resource(resource), metadata.namespace, metadata.name, {
      ...object,
      metadata,
    }).object;
  }

  /** Writes `status` only, as a controller's `…/status` update does. */
  writeStatus(resource: SimulatedResource, object: Json, status: Json): Json {
    const { resourceVersion: _, ...metadata } = object.metadata;
    return this.objectStore.update(
      this.resource(resource),
      metadata.namespace,
      metadata.name,
      { ...object, metadata, status },
      { subresource: 'status' },
    ).object;
  }

  delete(resource: SimulatedResource, object: Json, options: DeleteOptions = {}): void {
    const { namespace, name } = object.metadata;
    this.objectStore.delete(this.resource(resource), namespace, name, options);
  }

  resource(resource: SimulatedResource): ApiResource {
    return this.resources.get(resource)!;
  }
}

/** The storage key of a stored object: `namespace/name`, or `name` when cluster-scoped. */
export function keyOf(object: Json): string {
  const { namespace, name } = object.metadata;
  return namespace === undefined ? name : `${namespace}/${name}`;
}
