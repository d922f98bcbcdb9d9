import { scaleOf, writeScale } from '../resources/scale-subresource.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import { type ObjectHandler, type ObjectReply, writeOptionsOf } from './object-request.js';
import { parseJson, patchTypeOf, readBody, readObjectBody } from './request-body.js';

/**
 * The `…/scale` subresource: GET answers the workload's Scale, PUT writes a Scale and PATCH patches
 * one. Every answer is the resulting Scale, whatever the request's projection.
 */
export const serveScale: ObjectHandler = async (request, objectStore) => {
  const { route, message } = request;
  const { resource, namespace, name = '' } = route;
  const reply = (revision: StoredRevision): ObjectReply => ({
    type: 'body',
    statusCode: 200,
    body: scaleOf(revision),
  });
  if (route.verb === 'get') return reply(objectStore.get(resource, namespace, name));
  const options = writeOptionsOf(request);
  if (route.verb === 'update') {
    const scale = await readObjectBody(message);
    return reply(writeScale(objectStore, resource, namespace, name, { scale }, options));
  }
  const patchType = patchTypeOf(message);
  const patch = parseJson(await readBody(message));
  return reply(writeScale(objectStore, resource, namespace, name, { patchType, patch }, options));
};
