import type { ServerResponse } from 'node:http';
import { apiVersionOf, type Clock } from '@kubeinformers/core';
import type { ApiResource } from '../resources/api-resource.js';
import { columnDefinitionsJson, tableContentType, tableRowJson } from '../resources/table-rendering.js';
import { ApiStatusError, badRequest, resourceVersionTooLarge } from '../storage/api-status-error.js';
import { decodeContinueToken } from '../storage/continue-token.js';
import type { ObjectFilter } from '../storage/object-filter.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readPage } from '../storage/snapshot-page.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import { drained } from './http-response.js';
import type { Projection } from './projection.js';

export interface CollectionRequest {
  readonly resource: ApiResource;
  readonly filter: ObjectFilter;
  readonly query: URLSearchParams;
  readonly projection: Projection;
}

export interface ListEnvironment {
  readonly objectStore: ObjectStore;
  /** How long to wait for a resourceVersion ahead of the store before answering 504 TooLarge. */
  readonly tooLargeWaitMs: number;
  readonly clock: Clock;
}

// Lists are written in chunks of about this size: large enough to keep syscalls few, small enough
// that memory stays bounded whatever the list's size.
const chunkBytes = 64 * 1024;

/**
 * Serves a list with the API server's resourceVersion semantics — unset (latest), `"0"` (any; here the
 * latest), `N` with `NotOlderThan` (latest, after waiting for `N`) or `Exact` (the snapshot at `N`) —
 * pagination with `limit`/`continue`, and selectors. The page is chosen synchronously (a consistent
 * snapshot) and then streamed item by item, honouring backpressure: memory stays bounded by one chunk
 * whatever the list's size.
 */
export async function serveList(
  request: CollectionRequest,
  environment: ListEnvironment,
  response: ServerResponse,
): Promise<void> {
  const { query, resource } = request;
  const resourceVersion = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  const continueText = query.get('continue') ?? '';
  const limit = parseLimit(query.get('limit'));

  const continueToken = continueText === '' ? undefined : decodeContinueToken(continueText);
  if (continueToken !== undefined && resourceVersion !== '' && resourceVersion !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  validateResourceVersionMatch(resourceVersion, match);
  let at: 'latest' | number = 'latest';
  if (resourceVersion !== '' && resourceVersion !== '0' && continueToken === undefined) {
    const requested = parseResourceVersion(resourceVersion);
    await waitForResourceVersion(environment, requested, resourceVersion);
    if (match === 'Exact') at = requested;
  }

  const { objectStore } = environment;
  const page = readPage(objectStore.table(resource), objectStore.resourceVersion, {
    filter: request.filter,
    at,
    limit,
    continueToken,
  });

  const metadata: Record<string, unknown> = { resourceVersion: String(page.resourceVersion) };
  if (page.continueToken !== undefined) metadata.continue = page.continueToken;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  // How a client tells a server that applied its shard selector from one that ignored it.
  const shardInfo = request.filter.shardInfo;
  if (shardInfo !== undefined) metadata.shardInfo = { selector: shardInfo };
  const { contentType, prefix, render } = listRendering(
    resource,
    request.projection,
    JSON.stringify(metadata),
  );
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache, private' });
  let chunk = prefix;
  for (let index = 0; index < page.items.length; index += 1) {
    chunk += index === 0 ? render(page.items[index]!) : `,${render(page.items[index]!)}`;
    if (chunk.length >= chunkBytes) {
      if (response.destroyed) return;
      const accepted = response.write(chunk);
      chunk = '';
      if (!accepted) await drained(response);
    }
  }
  response.end(`${chunk}]}`);
}

/** How a list is written for each projection: the envelope up to its array, and one element. */
function listRendering(
  resource: ApiResource,
  projection: Projection,
  metadata: string,
): { contentType: string; prefix: string; render: (revision: StoredRevision) => string } {
  switch (projection.type) {
    case 'metadata':
      return {
        contentType: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1',
        prefix: `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1","metadata":${metadata},"items":[`,
        render: (revision) => revision.partialMetadataJson(),
      };
    case 'table': {
      const { includeObject } = projection;
      const now = new Date();
      return {
        contentType: tableContentType,
        prefix: `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${metadata},${columnDefinitionsJson(resource)},"rows":[`,
        render: (revision) => tableRowJson(revision, includeObject, now),
      };
    }
    case 'full':
      return {
        contentType: 'application/json',
        prefix: `{"kind":"${resource.kind}List","apiVersion":"${apiVersionOf(resource)}","metadata":${metadata},"items":[`,
        render: (revision) => revision.itemJson(),
      };
  }
}

/** The resourceVersion/resourceVersionMatch combinations the API server refuses, with its messages. */
export function validateResourceVersionMatch(resourceVersion: string, match: string): void {
  if (match === '') return;
  if (match !== 'Exact' && match !== 'NotOlderThan') {
    throw invalidParameter(
      'resourceVersionMatch',
      `Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  if (resourceVersion === '') {
    throw invalidParameter(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  }
  if (match === 'Exact' && resourceVersion === '0') {
    throw invalidParameter(
      'resourceVersionMatch',
      'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
  }
}

export function parseResourceVersion(text: string): number {
  if (!/^\d+$/.test(text)) throw badRequest(`invalid resource version: ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Waits (bounded) for the store to reach `requested`, like the API server waiting for its cache to catch
 * up; then answers 504 with the `ResourceVersionTooLarge` cause clients relist on.
 */
export async function waitForResourceVersion(
  environment: ListEnvironment,
  requested: number,
  text: string,
): Promise<void> {
  const { objectStore } = environment;
  if (requested <= objectStore.resourceVersion) return;
  await new Promise<void>((resolve) => {
    const timer = environment.clock.setTimeout(finish, environment.tooLargeWaitMs);
    const unsubscribe = objectStore.onChange(() => {
      if (objectStore.resourceVersion >= requested) finish();
    });
    function finish() {
      timer.cancel();
      unsubscribe();
      resolve();
    }
  });
  if (requested > objectStore.resourceVersion)
    throw resourceVersionTooLarge(text, objectStore.resourceVersion);
}

export function invalidParameter(field: string, message: string): ApiStatusError {
  return new ApiStatusError({
    code: 422,
    reason: 'Invalid',
    message: `ListOptions.meta.k8s.io "" is invalid: ${field}: ${message}`,
    details: {
      kind: 'ListOptions',
      group: 'meta.k8s.io',
      causes: [{ reason: 'FieldValueInvalid', message, field }],
    },
  });
}

function parseLimit(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`invalid limit: ${JSON.stringify(text)}`);
  return Number(text);
}
