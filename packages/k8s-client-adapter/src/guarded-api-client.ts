import { Buffer } from 'node:buffer';
import type { WriteGuard } from '@kubeinformers/core';
import {
  type ApiConstructor,
  type ApiType,
  createConfiguration,
  type KubeConfig,
  Observable,
  type RequestContext,
  ResponseContext,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { type Dispatcher, getGlobalDispatcher } from 'undici';
import { currentCluster } from './kube-config-transport.js';

/** Methods that change the cluster; reads are never refused. */
const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * An API client of the official library (`CoreV1Api`, `AppsV1Api`, …), authenticated as
 * `kubeConfig.makeApiClient` authenticates, whose writes (POST, PUT, PATCH, DELETE) pass `guard` — a
 * `LeaderElector`, for example. A write is checked before it is sent and again in the same synchronous
 * run in which the whole request, headers and body, is written to the socket; a process that was paused
 * or blocked in between is refused (`LeadershipLostError`, `KI_LEADERSHIP_LOST`) and sends nothing, not
 * even part of the request for the server to complete later. While a write is on the wire the guard
 * counts it, so a clean stop waits for it before handing over.
 *
 * What it cannot do: a write that was sent before leadership ended can still be committed after it, if
 * it stays on the wire (or waits in a busy server) longer than the margin the holder keeps (a lease
 * duration minus the renew deadline). Reads pass unchecked, through the official client's own path.
 * @see `WriteGuard`, `LeaderElector` in `@kubeinformers/core`
 */
export function makeGuardedApiClient<T extends ApiType>(
  kubeConfig: KubeConfig,
  apiClientType: ApiConstructor<T>,
  guard: WriteGuard,
): T {
  const cluster = currentCluster(kubeConfig);
  const reads = createConfiguration().httpApi;
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    httpApi: {
      send: (request) =>
        writeMethods.has(request.getHttpMethod().toString())
          ? new Observable(sendWrite(request, guard))
          : reads.send(request),
    },
  });
  return new apiClientType(configuration);
}

/**
 * Sends a write with its body as one buffer: undici then writes headers and body in one synchronous step
 * right after `onRequestStart`. (The official client's `fetch` streams the body after the headers, so a
 * pause between the two would let a refused leader's request complete on the server after it resumes.)
 */
async function sendWrite(request: RequestContext, guard: WriteGuard): Promise<ResponseContext> {
  // Refuse early, before any connection is opened for it.
  guard.assertValid();
  const body = request.getBody();
  if (body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)) {
    throw new TypeError('a guarded write sends a string or Buffer body');
  }
  const dispatcher = (request.getDispatcher() ?? getGlobalDispatcher()).compose(admittedOnSend(guard));
  const url = new URL(request.getUrl());
  const response = await dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: request.getHttpMethod().toString() as Dispatcher.HttpMethod,
    headers: request.getHeaders(),
    body: body === undefined ? null : Buffer.from(body),
    signal: request.getSignal(),
  });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return new ResponseContext(response.statusCode, headers, {
    text: async () => bytes.toString('utf8'),
    binary: async () => bytes,
    stream: () => null,
  });
}

/**
 * An undici interceptor that asks the guard when the request starts on a connection: undici calls
 * `onRequestStart` right before it writes the request, in the same synchronous run.
 */
function admittedOnSend(guard: WriteGuard): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    let landed: (() => void) | undefined;
    const settle = () => {
      landed?.();
      landed = undefined;
    };
    const guarded: Dispatcher.DispatchHandler = {
      onRequestStart(controller, context) {
        try {
          landed = guard.admitWrite();
        } catch (error) {
          controller.abort(error as Error);
          return;
        }
        handler.onRequestStart?.(controller, context);
      },
      onRequestUpgrade: (...args) => handler.onRequestUpgrade?.(...args),
      onResponseStart(...args) {
        // The server answered: the write committed or was refused, either way it no longer waits to land.
        settle();
        handler.onResponseStart?.(...args);
      },
      onResponseData: (...args) => handler.onResponseData?.(...args),
      onResponseEnd: (...args) => handler.onResponseEnd?.(...args),
      onResponseError(...args) {
        settle();
        handler.onResponseError?.(...args);
      },
    };
    return dispatch(options, guarded);
  };
}
