import type { ServerResponse } from 'node:http';
import type { IncludeObject } from '../resources/table-rendering.js';
import { ApiStatusError } from '../storage/api-status-error.js';

/**
 * Which rendering of objects a request negotiated: whole objects, metadata only
 * (`as=PartialObjectMetadata(List)`), or a `meta.k8s.io/v1` Table (`as=Table`, what `kubectl get` asks
 * for) whose rows carry `includeObject`.
 */
export type Projection = 'full' | 'metadata' | `table:${IncludeObject}`;

/**
 * Picks the rendering from an `Accept` header the way the API server negotiates: the first acceptable
 * entry wins; unknown `as=` renderings (such as a v1beta1 Table) are skipped in favour of later entries.
 */
export function negotiateProjection(
  accept: string | undefined,
  includeObject: string | null = null,
): Projection {
  if (accept === undefined || accept === '') return 'full';
  for (const entry of accept.split(',')) {
    const [mediaType = '', ...parameters] = entry.split(';').map((part) => part.trim());
    if (mediaType !== 'application/json' && mediaType !== '*/*' && mediaType !== 'application/*') continue;
    const parameter = (name: string) =>
      parameters.find((candidate) => candidate.startsWith(`${name}=`))?.slice(name.length + 1);
    const as = parameter('as');
    if (as === undefined) return 'full';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'metadata';
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
      return `table:${include}`;
    }
  }
  throw new ApiStatusError({
    code: 406,
    reason: 'NotAcceptable',
    message:
      'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1, application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
  });
}

export function sendJson(
  response: ServerResponse,
  statusCode: number,
  body: string | object,
  contentType = 'application/json',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(statusCode, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-cache, private',
  });
  response.end(text);
}

/** Writes an error as the API server does: a `Status` body, and `Retry-After` when it suggests one. */
export function sendError(response: ServerResponse, error: unknown): void {
  const status =
    error instanceof ApiStatusError
      ? error
      : new ApiStatusError({
          code: 500,
          reason: 'InternalError',
          message: `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`,
        });
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const retryAfter = status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) response.setHeader('retry-after', String(retryAfter));
  sendJson(response, status.statusCode, status.toStatus());
}

/** Resolves once `response` can take more data, or rejects when the client went away first. */
export function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      response.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      response.off('drain', onDrain);
      reject(new Error('client disconnected'));
    };
    response.once('drain', onDrain);
    response.once('close', onClose);
  });
}
