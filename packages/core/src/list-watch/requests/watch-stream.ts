import type { KubeInformersError } from '../../errors/kube-informers-error.js';
import type { KubeObject } from '../../protocol/kube-object.js';
import type { WatchRequest } from '../list-watch-state.js';
import type { ReflectorOptions } from '../reflector-options.js';
import { unusableResponseFailure } from './unusable-response.js';
import type { WatchLifetime } from './watch-liveness.js';

const jsonAccept = 'application/json';
const metadataAccept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

/**
 * Opens a reflector's watch for `request` (bookmarks always asked for) under `lifetime`'s scope: the body
 * to read, or the failure the answer stands for. Never rejects unless the loop itself stopped.
 */
export async function openWatchStream<T extends KubeObject>(
  options: ReflectorOptions<T>,
  path: string,
  request: WatchRequest,
  lifetime: WatchLifetime,
): Promise<{ readonly body: AsyncIterable<Uint8Array> } | { readonly failure: KubeInformersError }> {
  const { scope } = lifetime;
  const query = {
    watch: 'true',
    allowWatchBookmarks: 'true',
    timeoutSeconds: String(lifetime.timeoutSeconds),
    resourceVersion: request.resourceVersion,
    // The streaming list requires both; its version, if any, is a lower bound like a list's.
    sendInitialEvents: request.sendInitialEvents ? 'true' : undefined,
    resourceVersionMatch: request.sendInitialEvents ? 'NotOlderThan' : undefined,
    labelSelector: options.labelSelector,
    fieldSelector: options.fieldSelector,
    shardSelector: options.shardTarget?.wireText,
  };
  const headers = { accept: options.metadataOnly === true ? metadataAccept : jsonAccept };
  try {
    const response = await options.transport.request({ path, query, headers, signal: scope.signal });
    const failure = await unusableResponseFailure(response, scope, request.resourceVersion, 'expected JSON');
    if (failure !== undefined) return { failure };
    return { body: response.body };
  } catch (error) {
    return { failure: scope.toFailure(error) };
  }
}
