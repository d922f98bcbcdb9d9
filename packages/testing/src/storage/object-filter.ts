import {
  type FieldSelector,
  type LabelSelector,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from '@kubeinformers/core';
import type { ApiResource, FieldReader } from '../resources/api-resource.js';
import { badRequest } from './api-status-error.js';
import type { StoredRevision } from './stored-revision.js';

/**
 * A compiled `labelSelector` + `fieldSelector` (+ namespace) for one resource, as lists and watches use
 * it. Selecting on a field the resource does not support is a 400, as on the real server.
 */
export class ObjectFilter {
  private readonly fieldReaders: ReadonlyMap<string, FieldReader>;

  private constructor(
    readonly namespace: string | undefined,
    readonly labelSelector: LabelSelector,
    readonly fieldSelector: FieldSelector,
    resource: ApiResource,
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
  ): ObjectFilter {
    try {
      return new ObjectFilter(
        resource.namespaced ? namespace : undefined,
        parseLabelSelector(labelSelector ?? ''),
        parseFieldSelector(fieldSelector ?? ''),
        resource,
      );
    } catch (error) {
      if (error instanceof SelectorError) throw badRequest(`unable to parse requirement: ${error.message}`);
      throw error;
    }
  }

  /** Whether selectors (not the namespace) narrow the result: then `remainingItemCount` is omitted. */
  get hasSelectors(): boolean {
    return !this.labelSelector.isEmpty || !this.fieldSelector.isEmpty;
  }

  matches(revision: StoredRevision): boolean {
    const metadata = revision.metadata;
    if (this.namespace !== undefined && metadata.namespace !== this.namespace) return false;
    if (!this.labelSelector.matches(metadata.labels)) return false;
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
