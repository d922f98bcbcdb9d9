import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import { classifyFailure } from './list-watch-failure.js';

import type {
  ListingState,
  ListRequest,
  ListWatchEffect,
  ListWatchInput,
  ListWatchState,
  ListWatchTransition,
  Position,
  StreamingState,
  WaitCause,
  WaitingState,
  WatchingState,
} from './list-watch-state.js';

/**
 * The rules of the list/watch loop (`list-watch-state.ts` holds its states, inputs and effects).
 * `transition` is pure, so every rule below is tested without I/O.
 *
 * Rules (client-go's reflector, made explicit):
 * - Sync by a paginated list (following `continue`), or by a streaming list when enabled; the objects
 *   reach the sink once, atomically, when the snapshot is complete.
 * - Then watch from the snapshot's version; every event and bookmark advances the version.
 * - A clean end rewatches from the last version; one under a second with nothing received backs off.
 * - Progress restarts the backoff (`progress` effect): a watch's first event or bookmark, a completed
 *   list, a streaming list's initial-events-end bookmark. The backoff grows only while attempts fail in a
 *   row without any of these, so a burst of faults between healthy watches never builds up a long wait.
 * - 410 relists at the last version (`NotOlderThan`), at once, except on a watch opened straight from a
 *   snapshot that delivered nothing: that is a list→watch→410 loop, so the relist waits a backoff and
 *   its completion is no progress, and the loop backs off longer each round. Any other 410 is the
 *   answer of a working server to a version it compacted: it ends the failures in a row (`progress`),
 *   so a relist that then fails waits the shortest backoff, not the next doubling. A 410 or 504
 *   `ResourceVersionTooLarge` answer to a list restarts it once, fresh (no version), and backs off
 *   before any further restart. Pages of two snapshots are never
 *   mixed. A watch 504 `ResourceVersionTooLarge` relists with no version.
 * - A watch that fails after delivering something, or after a second open, reopens at once from its
 *   last version (client-go: the backoff is for failing to connect). Other failures are reported and
 *   retried after a backoff (429: at least `Retry-After`, whatever was delivered); a list retries the page that failed, a watch reopens
 *   from the last version. A stalled connection reopens at once.
 * - A watch answered 2xx (not a streaming list) makes the cache current again (`recovered`): the
 *   server accepted its version. Health recovers at once; a dead watch is the stall guard's to find.
 * - A wait after a failure to reach the server ends early when another informer of the factory reached
 *   it (`serverReachable` → `hurry`): a short random spread, never one burst. Waits the server asked
 *   for (429) and the storm guards' waits are kept.
 * - A server that refuses the streaming list (400/403/405/422, or a stream that ends or bookmarks without
 *   the initial-events-end annotation) is listed instead, for the rest of the loop's life.
 */
/**
 * client-go: a watch that ends within a second having delivered nothing is suspect (a proxy closing
 * connections, a server rejecting quietly); reopening it at once would spin.
 */
export const quickWatchEndMs = 1_000;

const noEffects: readonly never[] = Object.freeze([]);
const progress = Object.freeze({ type: 'progress' }) satisfies ListWatchEffect<KubeObject>;
const recovered = Object.freeze({ type: 'recovered' }) satisfies ListWatchEffect<KubeObject>;
const hurry = Object.freeze({ type: 'hurry' }) satisfies ListWatchEffect<KubeObject>;

/** The first state: a snapshot by list, or by streaming list when `streamingList` is on. */
export function initialTransition<T extends KubeObject>(streamingList: boolean): ListWatchTransition<T> {
  const position: Position = { resourceVersion: undefined, streamingList };
  return begin(snapshot(position, undefined, false, false));
}

export function transition<T extends KubeObject>(
  state: ListWatchState,
  input: ListWatchInput<T>,
): ListWatchTransition<T> {
  switch (state.kind) {
    case 'listing':
      return fromListing(state, input);
    case 'streaming':
      return fromStreaming(state, input);
    case 'watching':
      return fromWatching(state, input);
    case 'waiting':
      if (input.type === 'timerFired') return begin(state.next);
      if (input.type === 'serverReachable' && state.cause === 'failure') return { state, effects: [hurry] };
      return unchanged(state);
  }
}

function fromListing<T extends KubeObject>(
  state: ListingState,
  input: ListWatchInput<T>,
): ListWatchTransition<T> {
  if (input.type === 'listPageReceived') {
    if (input.continueToken !== undefined) {
      return begin({ ...state, request: { continueToken: input.continueToken } });
    }
    const watching = watchFrom(state, input.resourceVersion, true);
    const replace: ListWatchEffect<T> = { type: 'replace', resourceVersion: input.resourceVersion };
    return begin(watching, state.suspect ? [replace] : [replace, progress]);
  }
  if (input.type !== 'listFailed') return unchanged(state);
  return snapshotFailed(state, input.error);
}

function fromStreaming<T extends KubeObject>(
  state: StreamingState,
  input: ListWatchInput<T>,
): ListWatchTransition<T> {
  switch (input.type) {
    case 'watchEvent':
      return { state, effects: [{ type: 'collect', change: input.change }] };
    case 'bookmark':
      if (!input.initialEventsEnd) return fallBackToList(state);
      return {
        // The stream goes on as a watch on the same connection; the bookmark counts as received.
        state: { ...watchFrom(state, input.resourceVersion, true), received: 1 },
        effects: state.suspect
          ? [{ type: 'replace', resourceVersion: input.resourceVersion }]
          : [{ type: 'replace', resourceVersion: input.resourceVersion }, progress],
      };
    case 'watchEnded':
      return fallBackToList(state);
    case 'watchFailed': {
      const failure = classifyFailure(input.error);
      return failure.kind === 'rejected' ? fallBackToList(state) : snapshotFailed(state, input.error);
    }
    default:
      return unchanged(state);
  }
}

function fromWatching<T extends KubeObject>(
  state: WatchingState,
  input: ListWatchInput<T>,
): ListWatchTransition<T> {
  switch (input.type) {
    case 'watchEvent': {
      // An object without a version (never sent by a conforming server) leaves the position unchanged.
      const resourceVersion = input.change.object.metadata?.resourceVersion || state.resourceVersion;
      const apply: ListWatchEffect<T> = { type: 'apply', change: input.change, resourceVersion };
      return {
        state: advanced(state, resourceVersion),
        effects: state.received === 0 ? [progress, apply] : [apply],
      };
    }
    case 'bookmark': {
      const bookmark: ListWatchEffect<T> = { type: 'bookmark', resourceVersion: input.resourceVersion };
      return {
        state: advanced(state, input.resourceVersion),
        effects: state.received === 0 ? [progress, bookmark] : [bookmark],
      };
    }
    case 'watchEnded': {
      const quick = input.durationMs < quickWatchEndMs;
      const rewatch = watchFrom(state, state.resourceVersion, false);
      return state.received === 0 && quick ? backOff(rewatch, 'guard') : begin(rewatch);
    }
    case 'watchFailed':
      return watchFailed(state, input.error, input.connectedMs);
    case 'watchOpened':
      return { state, effects: [recovered] };
    default:
      return unchanged(state);
  }
}

/** One more event received (the hot path: built literally, one shape, no spread). */
function advanced(state: WatchingState, resourceVersion: string): WatchingState {
  return {
    kind: 'watching',
    resourceVersion,
    streamingList: state.streamingList,
    received: state.received + 1,
    afterSnapshot: state.afterSnapshot,
  };
}

function watchFailed<T extends KubeObject>(
  state: WatchingState,
  error: KubeInformersError,
  connectedMs: number | undefined,
): ListWatchTransition<T> {
  const failure = classifyFailure(error);
  const delivered = state.received > 0;
  // client-go's rule for a watch that ends: one that delivered something or lasted a second was a
  // working connection, and losing it is no failure to connect.
  const healthy = delivered || (connectedMs !== undefined && connectedMs >= quickWatchEndMs);
  const rewatch = watchFrom(state, state.resourceVersion, false);
  // A relist right after a snapshot whose watch delivered nothing could loop list→watch→410 without
  // pause: that one waits, and its completion is no progress. Any other 410 is a plain expiry, which a
  // working server answered: the failures in a row are over.
  const loop = !delivered && state.afterSnapshot;
  const relist = (resourceVersion: string | undefined, endsFailures: boolean): ListWatchTransition<T> => {
    if (loop) return backOff(snapshot(state, resourceVersion, false, true), 'guard');
    // A watch that delivered something announced its progress then already.
    const announce = endsFailures && !delivered;
    return begin(snapshot(state, resourceVersion, false, false), announce ? [progress] : noEffects);
  };
  switch (failure.kind) {
    case 'expired':
      return relist(state.resourceVersion, true);
    case 'tooLarge':
      return relist(undefined, false);
    case 'stalled':
      return begin(rewatch, [{ type: 'report', error }]);
    case 'throttled':
      return backOff(rewatch, 'throttled', [{ type: 'report', error }], failure.retryAfterSeconds);
    default:
      // The connection worked and then broke: reconnecting is not retrying a failure.
      if (healthy) return begin(rewatch, [{ type: 'report', error }]);
      return backOff(rewatch, 'failure', [{ type: 'report', error }]);
  }
}

/** A list page or a streaming list failed (anything but the streaming list being refused). */
function snapshotFailed<T extends KubeObject>(
  state: ListingState | StreamingState,
  error: KubeInformersError,
): ListWatchTransition<T> {
  const failure = classifyFailure(error);
  switch (failure.kind) {
    case 'expired':
    case 'tooLarge': {
      // Start a fresh snapshot at the latest version: once at once, then only after a backoff.
      const continuationExpired = state.kind === 'listing' && state.request.continueToken !== undefined;
      const fresh: ListingState | StreamingState = continuationExpired
        ? { ...state, restarted: true, request: { unpaginated: true } }
        : snapshot(state, undefined, true, state.suspect);
      if (!state.restarted) return begin(fresh, [{ type: 'discard' }]);
      return backOff(fresh, 'guard', [{ type: 'discard' }, { type: 'report', error }]);
    }
    case 'stalled':
      return begin(state, discardStream(state, error));
    case 'throttled':
      return backOff(state, 'throttled', discardStream(state, error), failure.retryAfterSeconds);
    default:
      return backOff(state, 'failure', discardStream(state, error));
  }
}

function fallBackToList<T extends KubeObject>(state: StreamingState): ListWatchTransition<T> {
  const listing: ListingState = {
    kind: 'listing',
    resourceVersion: state.resourceVersion,
    streamingList: false,
    request: listRequest(state.request.resourceVersion),
    restarted: state.restarted,
    suspect: state.suspect,
  };
  return begin(listing, [{ type: 'discard' }]);
}

/** A snapshot (list or streaming list, by `position.streamingList`) not older than `resourceVersion`. */
function snapshot(
  position: Position,
  resourceVersion: string | undefined,
  restarted: boolean,
  suspect: boolean,
): ListingState | StreamingState {
  const common = {
    resourceVersion: position.resourceVersion,
    streamingList: position.streamingList,
    restarted,
    suspect,
  };
  return position.streamingList
    ? { kind: 'streaming', ...common, request: { resourceVersion, sendInitialEvents: true } }
    : { kind: 'listing', ...common, request: listRequest(resourceVersion) };
}

function listRequest(resourceVersion: string | undefined): ListRequest {
  return resourceVersion === undefined ? {} : { resourceVersion, resourceVersionMatch: 'NotOlderThan' };
}

function watchFrom(position: Position, resourceVersion: string, afterSnapshot: boolean): WatchingState {
  return {
    kind: 'watching',
    resourceVersion,
    streamingList: position.streamingList,
    received: 0,
    afterSnapshot,
  };
}

/** Enters `next` (after `before`) and starts its operation. */
function begin<T extends KubeObject>(
  next: ListingState | StreamingState | WatchingState,
  before: readonly ListWatchEffect<T>[] = noEffects,
): ListWatchTransition<T> {
  return { state: next, effects: [...before, startOf(next)] };
}

function backOff<T extends KubeObject>(
  next: ListingState | StreamingState | WatchingState,
  cause: WaitCause,
  before: readonly ListWatchEffect<T>[] = noEffects,
  retryAfterSeconds?: number,
): ListWatchTransition<T> {
  const waiting: WaitingState = {
    kind: 'waiting',
    resourceVersion: next.resourceVersion,
    streamingList: next.streamingList,
    next,
    cause,
  };
  const wait: ListWatchEffect<T> =
    retryAfterSeconds === undefined ? { type: 'wait' } : { type: 'wait', retryAfterSeconds };
  return { state: waiting, effects: [...before, wait] };
}

function startOf<T extends KubeObject>(
  state: ListingState | StreamingState | WatchingState,
): ListWatchEffect<T> {
  switch (state.kind) {
    case 'listing':
      return { type: 'requestList', request: state.request };
    case 'streaming':
      return { type: 'openWatch', request: state.request };
    case 'watching':
      return {
        type: 'openWatch',
        request: { resourceVersion: state.resourceVersion, sendInitialEvents: false },
      };
  }
}

function report<T extends KubeObject>(error: KubeInformersError): ListWatchEffect<T> {
  return { type: 'report', error };
}

/** A failed stream's objects go (the retry resends them all); a failed list keeps its pages. */
function discardStream<T extends KubeObject>(
  state: ListingState | StreamingState,
  error: KubeInformersError,
): ListWatchEffect<T>[] {
  return state.kind === 'streaming' ? [{ type: 'discard' }, report(error)] : [report(error)];
}

function unchanged<T extends KubeObject>(state: ListWatchState): ListWatchTransition<T> {
  return { state, effects: noEffects };
}
