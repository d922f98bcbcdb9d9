import type { IncomingMessage } from 'node:http';
import type { ObjectFilter } from '../storage/object-filter.js';
import type { ObjectStore, WriteOptions } from '../storage/object-store.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { ResourceRoute } from './api-route.js';
import type { Projection } from './projection.js';

/** A GET of one object or a write (to one object or, for `deletecollection`, to a collection). */
export interface ObjectRequest {
  readonly route: ResourceRoute;
  /** The HTTP request: its headers name the body's format, and its body is read by the handler. */
  readonly message: IncomingMessage;
  readonly query: URLSearchParams;
  /** How the answered object is rendered (whole, metadata only, or a one-row Table). */
  readonly projection: Projection;
  /** The request's label and field selectors, compiled when a handler needs them. */
  readonly filter: () => ObjectFilter;
}

/** What a verb's handler answers: one object, rendered in the request's projection, or a body as is. */
export type ObjectReply =
  | { readonly type: 'object'; readonly statusCode: number; readonly revision: StoredRevision }
  | { readonly type: 'body'; readonly statusCode: number; readonly body: string | object };

/** The handler of one verb on one resource request. */
export type ObjectHandler = (
  request: ObjectRequest,
  objectStore: ObjectStore,
) => Promise<ObjectReply> | ObjectReply;

/**
 * What every write of a request shares: requests follow the API server's subresource rules, `dryRun=All`
 * stores nothing, and a write to `…/status` changes only the status.
 */
export function writeOptionsOf(request: ObjectRequest): WriteOptions {
  const { subresource } = request.route;
  return {
    enforceSubresources: true,
    dryRun: request.query.getAll('dryRun').includes('All'),
    ...(subresource === 'status' ? { subresource } : {}),
  };
}
