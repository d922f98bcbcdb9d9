import type { KubeInformersError } from '../errors/kube-informers-error.js';

/**
 * What an informer's list/watch loop is doing:
 * - `stopped`: not running (before `run`, after its signal aborted);
 * - `listing`: taking a snapshot (a paginated list or a streaming list), the first one or a relist;
 * - `watching`: a watch is being opened or is open;
 * - `backingOff`: waiting after a failure until `retryAt`.
 */
export type InformerPhase = 'stopped' | 'listing' | 'watching' | 'backingOff';

/**
 * An informer's liveness, as `SharedInformer.health()` reports it. Times are milliseconds on the
 * informer's clock: `performance.now()` with the default `systemClock`, so compare them with that, not
 * with `Date.now()`. Immutable: a new object is returned whenever a field changed, the same one
 * otherwise.
 */
export interface InformerHealth {
  readonly phase: InformerPhase;
  /** When the loop entered `phase`. */
  readonly since: number;
  /** When a `backingOff` loop tries again; `undefined` in every other phase. */
  readonly retryAt: number | undefined;
  /** `hasSynced()`: the first snapshot was stored and delivered. */
  readonly synced: boolean;
  /**
   * When the loop last proved the server current: a watch event or bookmark arrived, or a snapshot
   * completed. `undefined` before the first. On a quiet resource, bookmarks keep it fresh (every minute
   * from a real API server).
   */
  readonly lastActivityAt: number | undefined;
  /** Errors since the last progress (an event, a bookmark, a completed snapshot); 0 when healthy. */
  readonly consecutiveFailures: number;
  /** The last error the loop survived, kept after it recovered; `undefined` if none yet. */
  readonly lastError: KubeInformersError | undefined;
  /**
   * For an informer with a `shardSelector`: `'server'` when the API server applied it to the last list
   * (it answered with `metadata.shardInfo`), so each replica receives only its share; `'client'` when it
   * did not say so (a server without the `ShardedListAndWatch` feature, or a streaming list, which never
   * says), so the informer receives everything and drops what is outside its ranges itself. The cache
   * holds the same objects either way. `undefined` without a shard selector, or before the first list.
   */
  readonly sharding: 'server' | 'client' | undefined;
}

/** The health of every informer of a factory: `InformerFactory.health()`. */
export interface FactoryHealth {
  /**
   * Every informer started has synced and is running (none `stopped`): the factory serves complete
   * caches. What a readiness probe asks.
   */
  readonly ready: boolean;
  /** Each informer's health, by a readable name: `pods`, `pods.metrics.k8s.io in shop (app=web)`. */
  readonly informers: Readonly<Record<string, InformerHealth>>;
}
