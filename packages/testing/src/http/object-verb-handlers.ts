import { apiVersionOf } from '@kubeinformers/core';
import type { DeleteOptions } from '../storage/object-store.js';
import { readPage } from '../storage/snapshot-page.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { RequestVerb } from './api-route.js';
import { parseDeleteOptions } from './delete-options.js';
import {
  type ObjectHandler,
  type ObjectReply,
  type ObjectRequest,
  writeOptionsOf,
} from './object-request.js';
import { isApplyPatch, parseJson, patchTypeOf, readBody, readObjectBody } from './request-body.js';
import { serverSideApply } from './server-side-apply.js';

/** The verbs answered by an object request (lists and watches have their own handlers). */
export type ObjectVerb = Exclude<RequestVerb, 'list' | 'watch' | 'discovery'>;

function objectReply(statusCode: number, revision: StoredRevision): ObjectReply {
  return { type: 'object', statusCode, revision };
}

const get: ObjectHandler = ({ route }, objectStore) =>
  objectReply(200, objectStore.get(route.resource, route.namespace, route.name ?? ''));

const create: ObjectHandler = async (request, objectStore) => {
  const { resource, namespace } = request.route;
  const body = await readObjectBody(request.message);
  return objectReply(201, objectStore.create(resource, namespace, body, writeOptionsOf(request)));
};

const update: ObjectHandler = async (request, objectStore) => {
  const { resource, namespace, name = '' } = request.route;
  const body = await readObjectBody(request.message);
  return objectReply(200, objectStore.update(resource, namespace, name, body, writeOptionsOf(request)));
};

const patch: ObjectHandler = async (request, objectStore) => {
  if (isApplyPatch(request.message)) return serverSideApply(request, objectStore);
  const { resource, namespace, name = '' } = request.route;
  const patchType = patchTypeOf(request.message);
  const body = parseJson(await readBody(request.message));
  return objectReply(
    200,
    objectStore.patch(resource, namespace, name, patchType, body, writeOptionsOf(request)),
  );
};

const remove: ObjectHandler = async (request, objectStore) => {
  const { resource, namespace, name = '' } = request.route;
  const options = await readDeleteOptions(request);
  const deleted = objectStore.delete(resource, namespace, name, options);
  // 202 when finalizers keep the object around, as on the real server.
  const pending =
    deleted.metadata.deletionTimestamp !== undefined && (deleted.metadata.finalizers ?? []).length > 0;
  return objectReply(pending ? 202 : 200, deleted);
};

/** Deletes every object the selectors match, answering the list of what was deleted. */
const removeCollection: ObjectHandler = async (request, objectStore) => {
  const { resource } = request.route;
  const options = await readDeleteOptions(request);
  const page = readPage(objectStore.table(resource), objectStore.resourceVersion, {
    filter: request.filter(),
    at: 'latest',
  });
  const items = page.items.map((revision) =>
    objectStore
      .delete(resource, revision.metadata.namespace, revision.metadata.name ?? '', options)
      .itemJson(),
  );
  return {
    type: 'body',
    statusCode: 200,
    body: `{"kind":"${resource.kind}List","apiVersion":"${apiVersionOf(resource)}","metadata":{"resourceVersion":"${objectStore.resourceVersion}"},"items":[${items.join(',')}]}`,
  };
};

async function readDeleteOptions(request: ObjectRequest): Promise<DeleteOptions> {
  return parseDeleteOptions(await readObjectBody(request.message), request.query, writeOptionsOf(request));
}

/** One handler per verb of an object request. */
export const objectVerbHandlers: Readonly<Record<ObjectVerb, ObjectHandler>> = {
  get,
  create,
  update,
  patch,
  delete: remove,
  deletecollection: removeCollection,
};
