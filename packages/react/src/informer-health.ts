import type { KubeInformersError } from '@kubeinformers/core';

/**
 * - `idle`: no component uses the informer (or it renders on the server): nothing is connected.
 * - `syncing`: the first list is under way.
 * - `healthy`: synced, and the cache is current again since the last failure (a completed list, a
 *   watch the server accepted, an event or a bookmark).
 * - `recovering`: core is backing off after a failure, or retrying and not current again yet; the cache,
 *   still readable, may be stale meanwhile.
 */
export type InformerPhase = 'idle' | 'syncing' | 'healthy' | 'recovering';

/**
 * The health of one informer as a component sees it, read from core's `informer.health()`; a new object
 * whenever any field changes.
 */
export interface InformerHealth {
  readonly phase: InformerPhase;
  /** The cache holds a complete list (stays true while recovering: reads are then possibly stale). */
  readonly synced: boolean;
  /** Failures since the cache was last current (see `healthy`); 0 when healthy. */
  readonly consecutiveFailures: number;
  /** The last error the informer survived (typed, with a stable `code`), kept after it recovered. */
  readonly lastFailure: KubeInformersError | undefined;
  /**
   * Clock time (ms, the informer's clock) of the last event, bookmark or completed list; `undefined`
   * before any. Read when components are notified: a bookmark alone shows at the next notification.
   */
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
