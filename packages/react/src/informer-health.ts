/**
 * - `idle`: no component uses the informer (or it renders on the server): nothing is connected.
 * - `syncing`: the first list is under way.
 * - `healthy`: synced, and the last request reached the server.
 * - `recovering`: a request failed or a watch broke; core is retrying (its backoff) and the cache, still
 *   readable, may be stale until the next request succeeds.
 */
export type InformerPhase = 'idle' | 'syncing' | 'healthy' | 'recovering';

/** The last failure seen below core: an HTTP status, or a connection that failed or broke. */
export interface RequestFailure {
  /** Clock time (ms) of the failure. */
  readonly at: number;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  readonly message: string;
}

/** The health of one informer as a component sees it; a new object whenever any field changes. */
export interface InformerHealth {
  readonly phase: InformerPhase;
  /** The cache holds a complete list (stays true while recovering: reads are then possibly stale). */
  readonly synced: boolean;
  /** Failures since the last successful request; 0 when healthy. */
  readonly consecutiveFailures: number;
  readonly lastFailure: RequestFailure | undefined;
  /** Clock time (ms) of the last add, update or delete delivered; `undefined` before any. */
  readonly lastEventAt: number | undefined;
}

/** What hooks return on the server and before a component subscribes: unsynced, nothing connected. */
export const idleHealth: InformerHealth = Object.freeze({
  phase: 'idle',
  synced: false,
  consecutiveFailures: 0,
  lastFailure: undefined,
  lastEventAt: undefined,
});
