import { type IncludeObject, singleRowTableJson, tableContentType } from '../resources/table-rendering.js';
import { ApiStatusError } from '../storage/api-status-error.js';
import type { StoredRevision } from '../storage/stored-revision.js';

/**
 * Which rendering of objects a request negotiated: whole objects, metadata only
 * (`as=PartialObjectMetadata(List)`), or a `meta.k8s.io/v1` Table (`as=Table`, what `kubectl get` asks
 * for) whose rows carry `includeObject`.
 */
export type Projection =
  | { readonly type: 'full' }
  | { readonly type: 'metadata' }
  | { readonly type: 'table'; readonly includeObject: IncludeObject };

const full: Projection = { type: 'full' };
const metadata: Projection = { type: 'metadata' };

/**
 * Picks the rendering from an `Accept` header the way the API server negotiates: the first acceptable
 * entry wins; unknown `as=` renderings (such as a v1beta1 Table) are skipped in favour of later entries.
 */
export function negotiateProjection(
  accept: string | undefined,
  includeObject: string | null = null,
): Projection {
  if (accept === undefined || accept === '') return full;
  for (const entry of accept.split(',')) {
    const [mediaType = '', ...parameters] = entry.split(';').map((part) => part.trim());
    if (mediaType !== 'application/json' && mediaType !== '*/*' && mediaType !== 'application/*') continue;
    const parameter = (name: string) =>
      parameters.find((candidate) => candidate.startsWith(`${name}=`))?.slice(name.length + 1);
    const as = parameter('as');
    if (as === undefined) return full;
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return metadata;
    if (
      as === 'Table' &&
      (parameter('v') ?? 'v1') === 'v1' &&
      (parameter('g') ?? 'meta.k8s.io') === 'meta.k8s.io'
    ) {
      const include = includeObject ?? 'Metadata';
      if (include !== 'None' && include !== 'Metadata' && include !== 'Object') {
        throw new ApiStatusError({
          code: 400,
          reason: 'BadRequest',
          message: `includeObject must be one of None, Metadata or Object, not ${JSON.stringify(include)}`,
        });
      }
      return { type: 'table', includeObject: include };
    }
  }
  throw new ApiStatusError({
    code: 406,
    reason: 'NotAcceptable',
    message:
      'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  });
}

/** A stable text per projection, for caching what was serialized for it (one watch event, many watchers). */
export function projectionKey(projection: Projection): string {
  return projection.type === 'table' ? `table:${projection.includeObject}` : projection.type;
}

/** One object as GET, writes and watch events answer it in `projection`, rendered at `now` (table ages). */
export function projectedObjectJson(revision: StoredRevision, projection: Projection, now: Date): string {
  switch (projection.type) {
    case 'full':
      return revision.fullJson();
    case 'metadata':
      return revision.partialMetadataJson();
    case 'table':
      return singleRowTableJson(revision, projection.includeObject, now);
  }
}

/** The `Content-Type` of one object answered in `projection`. */
export function projectedObjectContentType(projection: Projection): string {
  switch (projection.type) {
    case 'full':
      return 'application/json';
    case 'metadata':
      return 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
    case 'table':
      return tableContentType;
  }
}
