import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { WatchChange } from './list-watch-sink.js';

/**
 * The list/watch loop as data: its states, the inputs that move it, and the effects each move asks the
 * I/O shell (the `Reflector`) to perform. The rules that connect them are `transition`
 * (`list-watch-transition.ts`).
 */
export type ListWatchState = ListingState | StreamingState | WatchingState | WaitingState;

/** What every state knows. */
export interface Position {
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
  /** Started after a relist loop (see `SnapshotState.suspect`). */
  readonly suspect: boolean;
}

/** A streaming list is open; the shell holds the objects received until the initial-events-end bookmark. */
export interface StreamingState extends Position {
  readonly kind: 'streaming';
  readonly request: WatchRequest;
  readonly restarted: boolean;
  /**
   * Started because the watch on the previous snapshot expired before delivering anything: completing
   * it is not progress, so the backoff keeps growing while the loop list→watch→410 goes on.
   */
  readonly suspect: boolean;
}

/** A watch is open (or being opened) from `resourceVersion`. */
export interface WatchingState extends Position {
  readonly kind: 'watching';
  readonly resourceVersion: string;
  /** Events and bookmarks received on this connection. */
  readonly received: number;
  /**
   * Opened straight from a completed snapshot: a 410 on it before it delivered anything is a relist
   * loop (the snapshot's version already expired), which backs off. Any other 410 relists at once.
   */
  readonly afterSnapshot: boolean;
}

/** Backing off; `next` starts when the timer fires. */
export interface WaitingState extends Position {
  readonly kind: 'waiting';
  readonly next: ListingState | StreamingState | WatchingState;
  readonly cause: WaitCause;
}

/**
 * Why a loop waits, which decides whether evidence that the server is reachable again cuts the wait:
 * - `failure`: the last attempt could not reach the server (network, 5xx, 401/403, a bad response);
 *   another informer of the factory reaching it is evidence worth retrying on soon;
 * - `throttled`: 429, the server asked for the wait (`Retry-After`), which is kept;
 * - `guard`: a storm guard (a quick empty watch, a list→watch→410 loop, a snapshot expiring again),
 *   where the server answers fine and waiting is the point.
 */
export type WaitCause = 'failure' | 'throttled' | 'guard';

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
  | {
      readonly type: 'watchFailed';
      readonly error: KubeInformersError;
      /** How long the watch had been open (a 2xx answer received) when it failed; unset if it never was. */
      readonly connectedMs?: number | undefined;
    }
  | { readonly type: 'timerFired' }
  /** The watch request was answered 2xx: the server accepted the version (a streaming list: it began). */
  | { readonly type: 'watchOpened' }
  /** Another informer of the factory reached the server after failing to. */
  | { readonly type: 'serverReachable' };

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
  | { readonly type: 'report'; readonly error: KubeInformersError }
  /** The loop made progress (see the rules above): the next failure waits the shortest backoff again. */
  | { readonly type: 'progress' }
  /**
   * The cache is current again: a watch from its version was accepted, so every change from there on
   * will come (or the stall guard will find the watch dead). Health recovers; the backoff does not
   * start over (only progress does that), so the storm guards keep their growing waits.
   */
  | { readonly type: 'recovered' }
  /**
   * Cut the wait to a short random spread (never all informers of a process at once) and start the
   * backoff over: the server is reachable again.
   */
  | { readonly type: 'hurry' };

export interface ListWatchTransition<T extends KubeObject> {
  readonly state: ListWatchState;
  readonly effects: readonly ListWatchEffect<T>[];
}
