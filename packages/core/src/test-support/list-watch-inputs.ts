import {
  ApiError,
  ApiServerError,
  ForbiddenError,
  ResourceVersionTooLargeError,
  UnauthorizedError,
  WatchExpiredError,
} from '../errors/api-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import { MalformedWatchEventError } from '../errors/malformed-watch-event-error.js';
import { TransportError } from '../errors/transport-error.js';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.js';
import { WatchLineTooLongError } from '../errors/watch-line-too-long-error.js';
import { WatchStalledError } from '../errors/watch-stalled-error.js';
import type { WatchChange } from '../list-watch/list-watch-sink.js';
import type {
  ListWatchInput,
  ListWatchState,
  ListWatchTransition,
  WatchingState,
} from '../list-watch/list-watch-state.js';
import { transition } from '../list-watch/list-watch-transition.js';
import type { KubeObject } from '../protocol/kube-object.js';

// Inputs, states and failures for the pure tests of the list/watch loop (`transition`).

export type Input = ListWatchInput<KubeObject>;

export const expired = new WatchExpiredError({ statusCode: 410, resourceVersion: '5' });
export const tooLarge = new ResourceVersionTooLargeError({ statusCode: 504 });
export const serverError = new ApiServerError({ statusCode: 503 });
export const networkError = new TransportError('/api/v1/pods', new Error('ECONNRESET'));
export const stalled = new WatchStalledError('/api/v1/pods', 330_000);

export function run(state: ListWatchState, ...inputs: Input[]): ListWatchTransition<KubeObject> {
  let result: ListWatchTransition<KubeObject> = { state, effects: [] };
  for (const input of inputs) result = transition(result.state, input);
  return result;
}

export function page(resourceVersion: string, continueToken?: string): Input {
  return { type: 'listPageReceived', resourceVersion, continueToken };
}

export function change(type: WatchChange<KubeObject>['type'], name: string, resourceVersion?: string): Input {
  return { type: 'watchEvent', change: { type, object: { metadata: { name, resourceVersion } } } };
}

export function bookmark(resourceVersion: string, initialEventsEnd = false): Input {
  return { type: 'bookmark', resourceVersion, initialEventsEnd };
}

export function watchFailed(error: KubeInformersError): Input {
  return { type: 'watchFailed', error };
}

export const timerFired: Input = { type: 'timerFired' };

/** Watch open at `resourceVersion`, `received` events so far; by default opened straight from a list. */
export function watching(resourceVersion = '10', received = 0, afterSnapshot = true): WatchingState {
  return { kind: 'watching', resourceVersion, streamingList: false, received, afterSnapshot };
}

/** Failures that call for nothing special: network errors, 5xx, 401/403, other ERROR codes, bad lines. */
export const ordinaryWatchFailures = [
  networkError,
  serverError,
  new UnauthorizedError({ statusCode: 401 }),
  new ForbiddenError({ statusCode: 403 }),
  new ApiError({ statusCode: 400, status: { code: 400, reason: 'BadRequest' } }),
  new MalformedWatchEventError('nope', 'not JSON'),
  new WatchLineTooLongError(10, 11),
  new UnexpectedResponseError(502, 'text/html', '<html>', 'not a Status'),
];

export const openWatch = (resourceVersion: string) => ({
  type: 'openWatch',
  request: { resourceVersion, sendInitialEvents: false },
});
