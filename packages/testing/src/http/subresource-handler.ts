import type { IncomingMessage, ServerResponse } from 'node:http';
import { evictPod } from '../resources/pod-eviction.js';
import type { PodLogs } from '../resources/pod-logs.js';
import type { ResourceCatalog } from '../resources/resource-catalog.js';
import type { ServiceAccountTokenIssuer } from '../resources/service-account-token.js';
import { badRequest } from '../storage/api-status-error.js';
import type { ObjectStore, WriteOptions } from '../storage/object-store.js';
import type { ApiRoute } from './api-route.js';
import { parseDeleteOptions } from './delete-options.js';
import { sendJson } from './http-response.js';
import { queryFlag } from './query-flag.js';
import { readObjectBody } from './request-body.js';

type ResourceRoute = Extract<ApiRoute, { type: 'resource' }>;

export interface SubresourceParts {
  readonly objectStore: ObjectStore;
  readonly catalog: ResourceCatalog;
  readonly logs: PodLogs;
  readonly tokens: ServiceAccountTokenIssuer;
}

/** `pods/eviction`, `pods/log` and `serviceaccounts/token`: the subresources that act rather than store. */
export async function serveActionSubresource(
  route: ResourceRoute,
  request: IncomingMessage,
  query: URLSearchParams,
  response: ServerResponse,
  parts: SubresourceParts,
): Promise<void> {
  const namespace = route.namespace ?? 'default';
  const name = route.name ?? '';
  const options: WriteOptions = { dryRun: query.getAll('dryRun').includes('All') };
  if (route.subresource === 'eviction') {
    const eviction = (await readObjectBody(request)) as { deleteOptions?: unknown } | undefined;
    const deleteOptions = parseDeleteOptions(eviction?.deleteOptions ?? undefined, query, options);
    return sendJson(
      response,
      201,
      evictPod(parts.objectStore, parts.catalog, namespace, name, eviction, deleteOptions),
    );
  }
  if (route.subresource === 'token') {
    const body = await readObjectBody(request);
    const serviceAccount = parts.objectStore.get(route.resource, namespace, name);
    return sendJson(response, 201, parts.tokens.issue(serviceAccount, body));
  }
  request.resume();
  return servePodLog(namespace, name, query, response, parts);
}

/**
 * `GET …/pods/{name}/log`: the lines set for the pod's container (see `PodLogs`), `tailLines` of them,
 * and with `follow` every line appended later, until the client goes away or the pod is deleted.
 */
function servePodLog(
  namespace: string,
  name: string,
  query: URLSearchParams,
  response: ServerResponse,
  parts: SubresourceParts,
): void {
  const pods = parts.catalog.resolve('pods');
  const pod = parts.objectStore.get(pods, namespace, name).toObject<{
    spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  }>();
  const containers = (pod.spec?.containers ?? []).map((container) => container.name);
  const allContainers = [
    ...containers,
    ...(pod.spec?.initContainers ?? []).map((container) => container.name),
  ];
  let container = query.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
      );
    }
    container = containers[0]!;
  } else if (!allContainers.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const tailText = query.get('tailLines');
  let lines = parts.logs.read(namespace, name, container);
  if (tailText !== null && tailText !== '') {
    if (!/^-?\d+$/.test(tailText)) throw badRequest(`invalid tailLines: ${JSON.stringify(tailText)}`);
    const tail = Number(tailText);
    // A negative tailLines means all lines on the API server (the kubelet ignores it).
    if (tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  }
  response.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  for (const line of lines) response.write(`${line}\n`);
  if (queryFlag(query, 'follow') !== true) {
    response.end();
    return;
  }
  response.flushHeaders();
  const stopFollowing = parts.logs.follow(namespace, name, container, (line) => response.write(`${line}\n`));
  const stopWatching = parts.objectStore.onChange((table, event) => {
    if (
      table.resource === pods &&
      event.type === 'DELETED' &&
      event.object.metadata.name === name &&
      event.object.metadata.namespace === namespace
    ) {
      finish();
    }
  });
  const finish = () => {
    stopFollowing();
    stopWatching();
    if (!response.writableEnded) response.end();
  };
  response.once('close', finish);
}
