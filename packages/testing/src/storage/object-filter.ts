import {
  type FieldSelector,
  formatShardSelector,
  type LabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  parseShardSelector,
  SelectorError,
  type ShardedObject,
  type ShardSelector,
  ShardSelectorError,
  shardSelectorMatches,
} from '@kubeinformers/core';
import type { ApiResource, FieldReader } from '../resources/api-resource.js';
import { ApiStatusError, badRequest } from './api-status-error.js';
import type { StoredRevision } from './stored-revision.js';

/**
 * A compiled `labelSelector` + `fieldSelector` + `shardSelector` (+ namespace) for one resource, as lists
 * and watches use it. Selecting on a field the resource does not support is a 400, as on the real server;
 * a shard selector that does not parse is the API server's 500 `invalid shard selector: …` (its registry
 * returns the parser's error as it is, which the handler turns into an unknown-reason 500).
 */
export class ObjectFilter {
  private readonly fieldReaders: ReadonlyMap<string, FieldReader>;

  private constructor(
    readonly namespace: string | undefined,
    readonly labelSelector: LabelSelector,
    readonly fieldSelector: FieldSelector,
    resource: ApiResource,
    /** Only objects whose uid or namespace hashes into these ranges (`ShardedListAndWatch`). */
    readonly shardSelector?: ShardSelector | undefined,
  ) {
    const readers = new Map<string, FieldReader>();
    for (const { field } of fieldSelector.requirements) {
      const reader = fieldReader(resource, field);
      if (reader === undefined) throw badRequest(`field label not supported: ${field}`);
      readers.set(field, reader);
    }
    this.fieldReaders = readers;
  }

  static parse(
    resource: ApiResource,
    namespace: string | undefined,
    labelSelector: string | undefined,
    fieldSelector: string | undefined,
    shardSelector?: string | undefined,
  ): ObjectFilter {
    try {
      return new ObjectFilter(
        resource.namespaced ? namespace : undefined,
        parseLabelSelector(labelSelector ?? ''),
        parseFieldSelector(fieldSelector ?? ''),
        resource,
        // An empty parameter is no parameter, as on the server.
        shardSelector === undefined || shardSelector === '' ? undefined : parseShardSelector(shardSelector),
      );
    } catch (error) {
      if (error instanceof SelectorError) throw badRequest(`unable to parse requirement: ${error.message}`);
      if (error instanceof ShardSelectorError) {
        throw new ApiStatusError({
          code: 500,
          reason: undefined,
          message: `invalid shard selector: ${error.reason}`,
        });
      }
      throw error;
    }
  }

  /** What a list answers in `metadata.shardInfo.selector`: the selector as the server prints it. */
  get shardInfo(): string | undefined {
    return this.shardSelector === undefined ? undefined : formatShardSelector(this.shardSelector);
  }

  /** Whether selectors (not the namespace) narrow the result: then `remainingItemCount` is omitted. */
  get hasSelectors(): boolean {
    return !this.labelSelector.isEmpty || !this.fieldSelector.isEmpty || this.shardSelector !== undefined;
  }

  matches(revision: StoredRevision): boolean {
    const metadata = revision.metadata;
    if (this.namespace !== undefined && metadata.namespace !== this.namespace) return false;
    if (!this.labelSelector.matches(metadata.labels)) return false;
    if (
      this.shardSelector !== undefined &&
      !shardSelectorMatches(this.shardSelector, revision.object as ShardedObject)
    )
      return false;
    if (this.fieldSelector.isEmpty) return true;
    return this.fieldSelector.matches((field) => this.fieldReaders.get(field)?.(revision.object));
  }
}

function fieldReader(resource: ApiResource, field: string): FieldReader | undefined {
  if (field === 'metadata.name') return (object) => object.metadata?.name;
  if (field === 'metadata.namespace')
    return (object) => (resource.namespaced ? object.metadata?.namespace : '');
  return resource.selectableFields[field];
}
