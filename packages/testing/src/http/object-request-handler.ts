import type { ServerResponse } from 'node:http';
import type { ObjectStore } from '../storage/object-store.js';
import { sendJson } from './http-response.js';
import type { ObjectReply, ObjectRequest } from './object-request.js';
import { type ObjectVerb, objectVerbHandlers } from './object-verb-handlers.js';
import { projectedObjectContentType, projectedObjectJson } from './projection.js';
import { serveScale } from './scale-handler.js';

/**
 * GET of one object and every write verb, over HTTP, answering like the API server: the `…/scale`
 * subresource has its own handler, every other request the handler of its verb.
 */
export async function serveObjectRequest(
  request: ObjectRequest,
  objectStore: ObjectStore,
  response: ServerResponse,
): Promise<void> {
  const { verb, subresource } = request.route;
  const handler = subresource === 'scale' ? serveScale : objectVerbHandlers[verb as ObjectVerb];
  if (handler === undefined) throw new Error(`unexpected verb ${verb}`);
  sendReply(response, request, await handler(request, objectStore));
}

function sendReply(response: ServerResponse, request: ObjectRequest, reply: ObjectReply): void {
  if (reply.type === 'body') {
    sendJson(response, reply.statusCode, reply.body);
    return;
  }
  const { projection } = request;
  sendJson(
    response,
    reply.statusCode,
    projectedObjectJson(reply.revision, projection, new Date()),
    projectedObjectContentType(projection),
  );
}
