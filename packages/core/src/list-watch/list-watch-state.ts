import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import { classifyFailure } from './list-watch-failure.js';
import type { WatchChange } from './list-watch-sink.js';

/**
 * The list/watch loop as data: a state, the inputs that move it, and the effects each move asks the I/O
 * shell (the `Reflector`) to perform. `transition` is pure, so every rule below is tested without I/O.
 *
 * Rules (client-go's reflector, made explicit):
 * - Sync by a paginated list (following `continue`), or by a streaming list when enabled; the objects
 *   reach the sink once, atomically, when the snapshot is complete.
 * - Then watch from the snapshot's version; every event and bookmark advances the version.
 * - A clean end rewatches from the last version; one under a second with nothing received backs off.
 * - 410 relists at the last version (`NotOlderThan`); a 410 or 504 `ResourceVersionTooLarge` answer to
 *   a list restarts it once, fresh (no version), and backs off before any further restart. Pages of two
 *   snapshots are never mixed. A watch 504 `ResourceVersionTooLarge` relists with no version.
 * - Other failures are reported and retried after a backoff (429: at least `Retry-After`); a list retries
 *   the page that failed, a watch reopens from the last version. A stalled connection reopens at once.
 * - A server that refuses the streaming list (400/403/405/422, or a stream that ends or bookmarks without
 *   the initial-events-end annotation) is listed instead, for the rest of the loop's life.
 */
export type ListWatchState = ListingState | StreamingState | WatchingState | WaitingState;

/** What every state knows. */
interface Position {
  /** The version the sink is current to; `undefined` before the first snapshot. */
  readonly resourceVersion: string | undefined;
  /** Whether snapshots are taken by streaming list; turns false for good once the server refuses it. */
  readonly streamingList: boolean;
}

export interface ListRequest {
  /** Unset: a consistent read of the latest state. */
  readonly resourceVersion?: string | undefined;
  readonly resourceVersionMatch?: 'NotOlderThan' | undefined;
  /** Set for every page after the first; the page then carries no version of its own. */
  readonly continueToken?: string | undefined;
  /**
   * The whole list in one response, after a continue token expired: pages of a fresh snapshot could
   * expire again for as long as the server compacts faster than the pages are read, while one response
   * cannot expire midway. Costs one large response instead of pages. (client-go's pager does the same:
   * `FullListIfExpired`.)
   */
  readonly unpaginated?: true | undefined;
}

export interface WatchRequest {
  /** Watch: changes after this version. Streaming list: a snapshot not older than it (unset: latest). */
  readonly resourceVersion: string | undefined;
  readonly sendInitialEvents: boolean;
}

/** A page of a paginated list is requested; earlier pages are held by the shell. */
export interface ListingState extends Position {
  readonly kind: 'listing';
  readonly request: ListRequest;
  /** An expired or too-large answer restarted this list already; another one backs off first. */
  readonly restarted: boolean;
}

/** A streaming list is open; the shell holds the objects received until the initial-events-end bookmark. */
export interface StreamingState extends Position {
  readonly kind: 'streaming';
  readonly request: WatchRequest;
  readonly restarted: boolean;
}

/** A watch is open (or being opened) from `resourceVersion`. */
export interface WatchingState extends Position {
  readonly kind: 'watching';
  readonly resourceVersion: string;
  /** Events and bookmarks received on this connection. */
  readonly received: number;
}

/** Backing off; `next` starts when the timer fires. */
export interface WaitingState extends Position {
  readonly kind: 'waiting';
  readonly next: ListingState | StreamingState | WatchingState;
}

export type ListWatchInput<T extends KubeObject> =
  | {
      readonly type: 'listPageReceived';
      readonly resourceVersion: string;
      readonly continueToken: string | undefined;
    }
  | { readonly type: 'listFailed'; readonly error: KubeInformersError }
  | { readonly type: 'watchEvent'; readonly change: WatchChange<T> }
  | { readonly type: 'bookmark'; readonly resourceVersion: string; readonly initialEventsEnd: boolean }
  | { readonly type: 'watchEnded'; readonly durationMs: number }
  | { readonly type: 'watchFailed'; readonly error: KubeInformersError }
  | { readonly type: 'timerFired' };

/**
 * What the shell does for a transition, in order. `requestList`, `openWatch` and `wait` start the next
 * operation and end the current connection, if any; the others are synchronous.
 */
export type ListWatchEffect<T extends KubeObject> =
  | { readonly type: 'requestList'; readonly request: ListRequest }
  | { readonly type: 'openWatch'; readonly request: WatchRequest }
  /** Back off, then feed `timerFired`; never shorter than `retryAfterSeconds`. */
  | { readonly type: 'wait'; readonly retryAfterSeconds?: number | undefined }
  /** Hand the pages listed (or objects streamed) so far to the sink, atomically, and forget them. */
  | { readonly type: 'replace'; readonly resourceVersion: string }
  /** Forget the pages listed (or objects streamed) so far. */
  | { readonly type: 'discard' }
  /** Streaming list: hold this change until the snapshot is complete. */
  | { readonly type: 'collect'; readonly change: WatchChange<T> }
  | { readonly type: 'apply'; readonly change: WatchChange<T>; readonly resourceVersion: string }
  | { readonly type: 'bookmark'; readonly resourceVersion: string }
  | { readonly type: 'report'; readonly error: KubeInformersError };

export interface ListWatchTransition<T extends KubeObject> {
  readonly state: ListWatchState;
  readonly effects: readonly ListWatchEffect<T>[];
}

/**
 * client-go: a watch that ends within a second having delivered nothing is suspect (a proxy closing
 * connections, a server rejecting quietly); reopening it at once would spin.
 */
export const quickWatchEndMs = 1_000;

const noEffects: readonly never[] = Object.freeze([]);

/** The first state: a snapshot by list, or by streaming list when `streamingList` is on. */
export function initialTransition<T extends KubeObject>(streamingList: boolean): ListWatchTransition<T> {
  const position: Position = { resourceVersion: undefined, streamingList };
  return begin(snapshot(position, undefined, false));
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
      return input.type === 'timerFired' ? begin(state.next) : unchanged(state);
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
    const watching = watchFrom(state, input.resourceVersion);
    return begin(watching, [{ type: 'replace', resourceVersion: input.resourceVersion }]);
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
        state: { ...watchFrom(state, input.resourceVersion), received: 1 },
        effects: [{ type: 'replace', resourceVersion: input.resourceVersion }],
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
      return {
        state: advanced(state, resourceVersion),
        effects: [{ type: 'apply', change: input.change, resourceVersion }],
      };
    }
    case 'bookmark':
      return {
        state: advanced(state, input.resourceVersion),
        effects: [{ type: 'bookmark', resourceVersion: input.resourceVersion }],
      };
    case 'watchEnded': {
      const rewatch = watchFrom(state, state.resourceVersion);
      const suspect = state.received === 0 && input.durationMs < quickWatchEndMs;
      return suspect ? backOff(rewatch) : begin(rewatch);
    }
    case 'watchFailed':
      return watchFailed(state, input.error);
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
  };
}

function watchFailed<T extends KubeObject>(
  state: WatchingState,
  error: KubeInformersError,
): ListWatchTransition<T> {
  const failure = classifyFailure(error);
  const rewatch = watchFrom(state, state.resourceVersion);
  // A relist right after a watch that delivered nothing could loop list→watch→410 without pause.
  const relist = (next: ListingState | StreamingState): ListWatchTransition<T> =>
    state.received === 0 ? backOff(next) : begin(next);
  switch (failure.kind) {
    case 'expired':
      return relist(snapshot(state, state.resourceVersion, false));
    case 'tooLarge':
      return relist(snapshot(state, undefined, false));
    case 'stalled':
      return begin(rewatch, [{ type: 'report', error }]);
    case 'throttled':
      return backOff(rewatch, [{ type: 'report', error }], failure.retryAfterSeconds);
    default:
      return backOff(rewatch, [{ type: 'report', error }]);
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
        : snapshot(state, undefined, true);
      if (!state.restarted) return begin(fresh, [{ type: 'discard' }]);
      return backOff(fresh, [{ type: 'discard' }, { type: 'report', error }]);
    }
    case 'stalled':
      return begin(state, discardStream(state, error));
    case 'throttled':
      return backOff(state, discardStream(state, error), failure.retryAfterSeconds);
    default:
      return backOff(state, discardStream(state, error));
  }
}

function fallBackToList<T extends KubeObject>(state: StreamingState): ListWatchTransition<T> {
  const listing: ListingState = {
    kind: 'listing',
    resourceVersion: state.resourceVersion,
    streamingList: false,
    request: listRequest(state.request.resourceVersion),
    restarted: state.restarted,
  };
  return begin(listing, [{ type: 'discard' }]);
}

/** A snapshot (list or streaming list, by `position.streamingList`) not older than `resourceVersion`. */
function snapshot(
  position: Position,
  resourceVersion: string | undefined,
  restarted: boolean,
): ListingState | StreamingState {
  const common = {
    resourceVersion: position.resourceVersion,
    streamingList: position.streamingList,
    restarted,
  };
  return position.streamingList
    ? { kind: 'streaming', ...common, request: { resourceVersion, sendInitialEvents: true } }
    : { kind: 'listing', ...common, request: listRequest(resourceVersion) };
}

function listRequest(resourceVersion: string | undefined): ListRequest {
  return resourceVersion === undefined ? {} : { resourceVersion, resourceVersionMatch: 'NotOlderThan' };
}

function watchFrom(position: Position, resourceVersion: string): WatchingState {
  return { kind: 'watching', resourceVersion, streamingList: position.streamingList, received: 0 };
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
  before: readonly ListWatchEffect<T>[] = noEffects,
  retryAfterSeconds?: number,
): ListWatchTransition<T> {
  const waiting: WaitingState = {
    kind: 'waiting',
    resourceVersion: next.resourceVersion,
    streamingList: next.streamingList,
    next,
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
