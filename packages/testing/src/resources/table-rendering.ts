import type { StoredRevision } from '../storage/stored-revision.js';
import type { ApiResource } from './api-resource.js';
import { tableColumns } from './table-columns.js';

/** `includeObject`: what each row carries besides its cells (default `Metadata`, as on the real server). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export const tableContentType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const headers = new WeakMap<ApiResource, string>();

/** `"columnDefinitions":[…]` for a resource, serialized once. */
export function columnDefinitionsJson(resource: ApiResource): string {
  let json = headers.get(resource);
  if (json === undefined) {
    const definitions = tableColumns(resource).map(({ name, type, format, description, priority }) => ({
      name,
      type,
      format: format ?? '',
      description,
      priority,
    }));
    json = `"columnDefinitions":${JSON.stringify(definitions)}`;
    headers.set(resource, json);
  }
  return json;
}

/** One row: the cells at `now` (ages change with time) and the object as `includeObject` asks. */
export function tableRowJson(revision: StoredRevision, includeObject: IncludeObject, now: Date): string {
  const cells = tableColumns(revision.resource).map((column) => column.cell(revision.object, now));
  const object =
    includeObject === 'None'
      ? ''
      : `,"object":${includeObject === 'Object' ? revision.fullJson() : revision.partialMetadataJson()}`;
  return `{"cells":${JSON.stringify(cells)}${object}}`;
}

/** A Table holding one object: what GET and every watch event answer for `as=Table`. */
export function singleRowTableJson(
  revision: StoredRevision,
  includeObject: IncludeObject,
  now: Date,
): string {
  return `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"${revision.resourceVersion}"},${columnDefinitionsJson(revision.resource)},"rows":[${tableRowJson(revision, includeObject, now)}]}`;
}
