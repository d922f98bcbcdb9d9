import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRoute } from './api-route.js';
import { ApiStatusError, badRequest } from './api-status-error.js';
import { parseJsonBody, readBodyBytes, readObjectBody } from './http/request-body.js';
import { type Projection, sendJson } from './http-response.js';
import { readPage } from './list-page.js';
import type { ObjectFilter } from './object-filter.js';
import { type PatchType, patchContentTypes } from './object-patch.js';
import type { DeleteOptions, ObjectStore, WriteOptions } from './object-store.js';
import { scaleOf, writeScale } from './scale-subresource.js';
import type { StoredRevision } from './stored-revision.js';
import { type IncludeObject, singleRowTableJson, tableContentType } from './table-rendering.js';

type ResourceRoute = Extract<ApiRoute, { type: 'resource' }>;

/** GET of one object and every write verb, over HTTP, answering like the API server. */
export async function serveObjectRequest(
  route: ResourceRoute,
  request: IncomingMessage,
  query: URLSearchParams,
  response: ServerResponse,
  store: ObjectStore,
  projection: Projection,
  filter: () => ObjectFilter,
): Promise<void> {
  const { resource, namespace, name = '', subresource } = route;
  const options: WriteOptions = {
    enforceSubresources: true,
    dryRun: query.getAll('dryRun').includes('All'),
    ...(subresource === 'status' ? { subresource } : {}),
  };
  const send = (statusCode: number, revision: StoredRevision) => {
    if (projection === 'full') return sendJson(response, statusCode, revision.fullJson());
    if (projection === 'metadata') {
      return sendJson(
        response,
        statusCode,
        revision.partialMetadataJson(),
        'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      );
    }
    const includeObject = projection.slice('table:'.length) as IncludeObject;
    return sendJson(
      response,
      statusCode,
      singleRowTableJson(revision, includeObject, new Date()),
      tableContentType,
    );
  };

  if (subresource === 'scale') {
    const sendScale = (revision: StoredRevision) => sendJson(response, 200, scaleOf(revision));
    const writeOptions = options;
    if (route.verb === 'get') return sendScale(store.get(resource, namespace, name));
    if (route.verb === 'update') {
      const scale = await readObjectBody(request);
      return sendScale(writeScale(store, resource, namespace, name, { scale }, writeOptions));
    }
    const patchType = patchTypeOf(request);
    const patch = parseJsonBody(await readBody(request));
    return sendScale(writeScale(store, resource, namespace, name, { patchType, patch }, writeOptions));
  }

  switch (route.verb) {
    case 'get':
      return send(200, store.get(resource, namespace, name));
    case 'create':
      return send(201, store.create(resource, namespace, await readObjectBody(request), options));
    case 'update':
      return send(200, store.update(resource, namespace, name, await readObjectBody(request), options));
    case 'patch': {
      if (isApplyPatch(request))
        return serverSideApply(route, query, await readBody(request), store, options, send);
      const patchType = patchTypeOf(request);
      const patch = parseJsonBody(await readBody(request));
      return send(200, store.patch(resource, namespace, name, patchType, patch, options));
    }
    case 'delete': {
      const deleteOptions = parseDeleteOptions(await readObjectBody(request), query, options);
      const deleted = store.delete(resource, namespace, name, deleteOptions);
      // 202 when finalizers keep the object around, as on the real server.
      return send(
        deleted.metadata.deletionTimestamp !== undefined && (deleted.metadata.finalizers ?? []).length > 0
          ? 202
          : 200,
        deleted,
      );
    }
    case 'deletecollection': {
      const deleteOptions = parseDeleteOptions(await readObjectBody(request), query, options);
      const page = readPage(store.table(resource), store.resourceVersion, { filter: filter(), at: 'latest' });
      const items = page.items.map((revision) =>
        store
          .delete(resource, revision.metadata.namespace, revision.metadata.name ?? '', deleteOptions)
          .itemJson(),
      );
      const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
      return sendJson(
        response,
        200,
        `{"kind":"${resource.kind}List","apiVersion":"${apiVersion}","metadata":{"resourceVersion":"${store.resourceVersion}"},"items":[${items.join(',')}]}`,
      );
    }
    default:
      throw new Error(`unexpected verb ${route.verb}`);
  }
}

function isApplyPatch(request: IncomingMessage): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim() === 'application/apply-patch+yaml';
}

/**
 * Server-side apply, approximated: the applied configuration creates the object when it is missing and
 * is otherwise merged into it like a strategic merge patch. Field ownership, conflicts (`force`) and
 * removal of fields a manager stopped applying are not modelled. The body must be JSON (which is YAML;
 * kubectl and client-go send JSON).
 */
function serverSideApply(
  route: ResourceRoute,
  query: URLSearchParams,
  body: string,
  store: ObjectStore,
  options: WriteOptions,
  send: (statusCode: number, revision: StoredRevision) => void,
): void {
  const { resource, namespace, name = '' } = route;
  if ((query.get('fieldManager') ?? '') === '') {
    throw new ApiStatusError({
      code: 422,
      reason: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: {
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
    });
  }
  const configuration = parseJsonBody(body) as { metadata?: { name?: string } } | null;
  if (configuration?.metadata?.name !== undefined && configuration.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${configuration.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const existing = store.table(resource).objects.get(resource.namespaced ? `${namespace}/${name}` : name);
  if (existing === undefined) {
    const object = { ...configuration, metadata: { ...configuration?.metadata, name } };
    send(201, store.create(resource, namespace, object, options));
    return;
  }
  send(200, store.patch(resource, namespace, name, 'strategic', configuration, options));
}

function patchTypeOf(request: IncomingMessage): PatchType {
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
  const patchType = patchContentTypes[contentType];
  if (patchType !== undefined) return patchType;
  throw new ApiStatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchContentTypes).join(', ')}`,
  });
}

/** DeleteOptions from a request's body (JSON or protobuf, possibly empty) and query. */
export function parseDeleteOptions(
  body: unknown,
  query: URLSearchParams,
  options: WriteOptions,
): DeleteOptions {
  const parsed = (body ?? {}) as {
    preconditions?: DeleteOptions['preconditions'] | null;
    dryRun?: unknown;
    propagationPolicy?: unknown;
  };
  const policy = parsed.propagationPolicy ?? query.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== 'Background' && policy !== 'Foreground' && policy !== 'Orphan') {
    throw badRequest(
      `propagationPolicy must be Background, Foreground or Orphan, not ${JSON.stringify(policy)}`,
    );
  }
  return {
    ...options,
    dryRun: options.dryRun === true || (Array.isArray(parsed.dryRun) && parsed.dryRun.includes('All')),
    ...(parsed.preconditions === undefined || parsed.preconditions === null
      ? {}
      : { preconditions: parsed.preconditions }),
    ...(policy === undefined ? {} : { propagationPolicy: policy }),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBodyBytes(request)).toString('utf8');
}
