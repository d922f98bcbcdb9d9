import { apiVersionOf } from '@kubeinformers/core';
import type { ApiResource } from '../resources/api-resource.js';
import { cloneJson, serializeStored } from './json-values.js';

/** A JSON object as stored: never mutated after it is stored, so revisions can be shared freely. */
export type JsonObject = { [key: string]: unknown };

export interface ObjectMetadata {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { uid?: string }[];
  [key: string]: unknown;
}

/**
 * One stored state of one object. The object is kept without `kind`/`apiVersion` (list items on the real
 * server carry neither) and serialized at most once: lists, GETs and every watcher reuse the same string,
 * which is what keeps fan-out to many watchers and 50,000-item lists cheap.
 */
export class StoredRevision {
  private json: string | undefined;
  private metadataJson: string | undefined;

  constructor(
    readonly resource: ApiResource,
    /** `namespace/name`, or `name` for cluster-scoped objects: also the sort order of lists. */
    readonly key: string,
    /** The object without `kind`/`apiVersion`; never mutated. */
    readonly object: JsonObject,
    readonly resourceVersion: number,
  ) {}

  get metadata(): ObjectMetadata {
    return this.object.metadata as ObjectMetadata;
  }

  /** The object as a list item: no `kind`, no `apiVersion`. */
  itemJson(): string {
    this.json ??= serializeStored(this.object);
    return this.json;
  }

  /** The object as GET and watch events render it: `kind` and `apiVersion` first. */
  fullJson(): string {
    return `${typePrefix(this.resource)}${this.itemJson().slice(1)}`;
  }

  /** The `PartialObjectMetadata` projection (metadata-only clients). */
  partialMetadataJson(): string {
    this.metadataJson ??= `{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(this.metadata)}}`;
    return this.metadataJson;
  }

  /** A deep copy with `kind` and `apiVersion` first, safe to hand to in-process callers. */
  toObject<T>(): T {
    const { resource } = this;
    const apiVersion = apiVersionOf(resource);
    return { kind: resource.kind, apiVersion, ...cloneJson(this.object) } as T;
  }
}

const prefixes = new WeakMap<ApiResource, string>();

function typePrefix(resource: ApiResource): string {
  let prefix = prefixes.get(resource);
  if (prefix === undefined) {
    const apiVersion = apiVersionOf(resource);
    prefix = `{"kind":${JSON.stringify(resource.kind)},"apiVersion":${JSON.stringify(apiVersion)},`;
    prefixes.set(resource, prefix);
  }
  return prefix;
}

/** The storage key of an object: `namespace/name` for namespaced resources, `name` otherwise. */
export function storageKey(resource: ApiResource, namespace: string | undefined, name: string): string {
  return resource.namespaced ? `${namespace ?? ''}/${name}` : name;
}
