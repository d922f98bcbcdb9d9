import { KubeInformersError, type WriteGuard } from '@kubeinformers/core';
import {
  type ApiConstructor,
  type ApiType,
  createConfiguration,
  type KubeConfig,
  type Middleware,
  Observable,
  type RequestContext,
  ServerConfiguration,
} from '@kubernetes/client-node';
import { type Dispatcher, getGlobalDispatcher } from 'undici';
import { currentCluster } from './kube-config-transport.js';

/** Methods that change the cluster; reads are never refused. */
const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * An API client of the official library (`CoreV1Api`, `AppsV1Api`, …), authenticated as
 * `kubeConfig.makeApiClient` authenticates, whose writes (POST, PUT, PATCH, DELETE) pass `guard` — a
 * `LeaderElector`, for example. A write is checked twice: before the request is built, and again in the
 * same synchronous run in which its first byte is written to the socket, so a process that was paused or
 * blocked between the two is refused (`LeadershipLostError`, `KI_LEADERSHIP_LOST`) and sends nothing.
 * While a write is on the wire the guard counts it, so a clean stop waits for it before handing over.
 *
 * What it cannot do: a write that was on the wire before leadership ended can still land after it, if it
 * stays there longer than the margin the holder keeps (a lease duration minus the renew deadline).
 * Reads pass unchecked.
 * @see `WriteGuard`, `LeaderElector` in `@kubeinformers/core`
 */
export function makeGuardedApiClient<T extends ApiType>(
  kubeConfig: KubeConfig,
  apiClientType: ApiConstructor<T>,
  guard: WriteGuard,
): T {
  const cluster = currentCluster(kubeConfig);
  const sending = createConfiguration().httpApi;
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [guardedWrites(guard)],
    // fetch reports a request aborted at send time as `TypeError: fetch failed` with the reason as its
    // cause: hand the guard's own typed error to the caller instead.
    httpApi: {
      send: (request) =>
        new Observable(
          sending
            .send(request)
            .toPromise()
            .catch((error: unknown) => {
              const cause = (error as { cause?: unknown } | undefined)?.cause;
              throw cause instanceof KubeInformersError ? cause : error;
            }),
        ),
    },
  });
  return new apiClientType(configuration);
}

function guardedWrites(guard: WriteGuard): Middleware {
  return {
    async pre(context: RequestContext) {
      if (!writeMethods.has(context.getHttpMethod().toString())) return context;
      // Refuse early, before any connection is opened for it.
      guard.assertValid();
      const dispatcher = context.getDispatcher() ?? getGlobalDispatcher();
      context.setDispatcher(dispatcher.compose(admittedOnSend(guard)));
      return context;
    },
    async post(context) {
      return context;
    },
  };
}

/**
 * An undici interceptor that asks the guard when the request starts on a connection: undici calls
 * `onRequestStart` right before it writes the request's first byte, in the same synchronous run.
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
