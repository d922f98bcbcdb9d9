import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf } from '@kubeinformers/core';
import { type IncludeObject, singleRowTableJson, tableContentType } from '../resources/table-rendering.js';
import { ApiStatusError, badRequest } from '../storage/api-status-error.js';
import type { ObjectFilter } from '../storage/object-filter.js';
import { type PatchType, patchContentTypes } from '../storage/object-patch.js';
import type { DeleteOptions, ObjectStore, WriteOptions } from '../storage/object-store.js';
import { scaleOf, writeScale } from '../storage/scale-subresource.js';
import { readPage } from '../storage/snapshot-page.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { ApiRoute } from './api-route.js';
import { type Projection, sendJson } from './http-response.js';

type ResourceRoute = Extract<ApiRoute, { type: 'resource' }>;

// The API server refuses request bodies above 3 MiB.
const maximumBodyBytes = 3 * 1024 * 1024;

/** GET of one object and every write verb, over HTTP, answering like the API server. */
export async function serveObjectRequest(
  route: ResourceRoute,
  request: IncomingMessage,
  query: URLSearchParams,
  response: ServerResponse,
  objectStore: ObjectStore,
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
    if (route.verb === 'get') return sendScale(objectStore.get(resource, namespace, name));
    if (route.verb === 'update') {
      requireJsonBody(request);
      const scale = parseJson(await readBody(request));
      return sendScale(writeScale(objectStore, resource, namespace, name, { scale }, writeOptions));
    }
    const patchType = patchTypeOf(request);
    const patch = parseJson(await readBody(request));
    return sendScale(writeScale(objectStore, resource, namespace, name, { patchType, patch }, writeOptions));
  }

  switch (route.verb) {
    case 'get':
      return send(200, objectStore.get(resource, namespace, name));
    case 'create':
      requireJsonBody(request);
      return send(201, objectStore.create(resource, namespace, parseJson(await readBody(request)), options));
    case 'update':
      requireJsonBody(request);
      return send(
        200,
        objectStore.update(resource, namespace, name, parseJson(await readBody(request)), options),
      );
    case 'patch': {
      if (isApplyPatch(request))
        return serverSideApply(route, query, await readBody(request), objectStore, options, send);
      const patchType = patchTypeOf(request);
      const patch = parseJson(await readBody(request));
      return send(200, objectStore.patch(resource, namespace, name, patchType, patch, options));
    }
    case 'delete': {
      requireJsonBody(request);
      const body = await readBody(request);
      const deleteOptions = parseDeleteOptions(body, query, options);
      const deleted = objectStore.delete(resource, namespace, name, deleteOptions);
      // 202 when finalizers keep the object around, as on the real server.
      return send(
        deleted.metadata.deletionTimestamp !== undefined && (deleted.metadata.finalizers ?? []).length > 0
          ? 202
          : 200,
        deleted,
      );
    }
    case 'deletecollection': {
      requireJsonBody(request);
      const deleteOptions = parseDeleteOptions(await readBody(request), query, options);
      const page = readPage(objectStore.table(resource), objectStore.resourceVersion, {
        filter: filter(),
        at: 'latest',
      });
      const items = page.items.map((revision) =>
        objectStore
          .delete(resource, revision.metadata.namespace, revision.metadata.name ?? '', deleteOptions)
          .itemJson(),
      );
      const apiVersion = apiVersionOf(resource);
      return sendJson(
        response,
        200,
        `{"kind":"${resource.kind}List","apiVersion":"${apiVersion}","metadata":{"resourceVersion":"${objectStore.resourceVersion}"},"items":[${items.join(',')}]}`,
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
  objectStore: ObjectStore,
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
  const configuration = parseJson(body) as { metadata?: { name?: string } } | null;
  if (configuration?.metadata?.name !== undefined && configuration.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${configuration.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const existing = objectStore
    .table(resource)
    .objects.get(resource.namespaced ? `${namespace}/${name}` : name);
  if (existing === undefined) {
    const object = { ...configuration, metadata: { ...configuration?.metadata, name } };
    send(201, objectStore.create(resource, namespace, object, options));
    return;
  }
  send(200, objectStore.patch(resource, namespace, name, 'strategic', configuration, options));
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

/**
 * Bodies must be JSON. Typed Go clients (`kubectl create configmap`) send protobuf first; the 415 tells
 * client-go to retry the request as JSON.
 */
function requireJsonBody(request: IncomingMessage): void {
  const contentType = (request.headers['content-type'] ?? 'application/json').split(';')[0]!.trim();
  if (contentType === 'application/json' || contentType === '' || contentType === '*/*') return;
  throw new ApiStatusError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: application/json`,
  });
}

function parseDeleteOptions(body: string, query: URLSearchParams, options: WriteOptions): DeleteOptions {
  const parsed = (body.trim() === '' ? {} : parseJson(body)) as {
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body of the request could not be decoded as JSON: ${(error as Error).message}`);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maximumBodyBytes) {
      throw new ApiStatusError({
        code: 413,
        reason: 'BadRequest',
        message: 'Request entity too large: limit is 3145728',
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
