import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { ReflectorMetrics } from '../list-watch/reflector-metrics.js';
import type { ReflectorOptions } from '../list-watch/reflector-options.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { FieldSelector } from '../selectors/field-selector.js';
import type { LabelSelector } from '../selectors/label-selector.js';
import type { ShardSelector } from '../sharding/shard-selector.js';
import type { Indexers } from '../store/store.js';
import type { StorageMode } from '../store/store-writer.js';
import type { Clock } from '../time/clock.js';

/** Defaults for every informer of a factory. */
export interface InformerFactoryDefaults {
  /** Default resync period of handlers (see `EventHandlerOptions`); `0` (the default) disables resync. */
  readonly resyncPeriodMs?: number;
  readonly clock?: Clock;
  /** Namespace of informers created without one; absent = all namespaces. */
  readonly namespace?: string;
  /** Receives every error any informer survives (default: `console.error`). */
  readonly onError?: (error: KubeInformersError) => void;
  /** List page size (default 500, as client-go). */
  readonly pageSize?: number;
  /** Use the streaming initial list where the server supports it. */
  readonly streamingInitialList?: boolean;
  /** A transform for every informer without one of its own, e.g. `stripManagedFields`. */
  readonly transform?: <T extends KubeObject>(object: T) => T;
  /** `pruneManagedFields` of every informer that does not set its own (see `InformerOptions`). */
  readonly pruneManagedFields?: boolean;
  /** `storage` of every informer that does not set its own (see `InformerOptions`). */
  readonly storage?: StorageMode;
  readonly backoff?: ReflectorOptions<KubeObject>['backoff'];
  readonly random?: () => number;
  /**
   * How often the API server bookmarks each watch (default 60 s, the API server's `bookmarkFrequency`).
   * A watch is taken for dead after 2.5 times this plus 1 s of silence until it has shown its own
   * cadence, then 2.5 times the interval it showed plus 1 s. Set it when your server bookmarks at another
   * period: a shorter one finds a watch that dies before its first bookmark sooner.
   */
  readonly bookmarkPeriodMs?: number;
  /**
   * Metric hooks for each informer's list/watch loop, by the informer's name (as `health()` names it);
   * e.g. `createKubeInformersMetrics().reflectorMetrics` from `@kubeinformers/opentelemetry`.
   */
  readonly reflectorMetrics?: (informerName: string) => ReflectorMetrics | undefined;
}

/** What selects the objects an informer holds, and how it is indexed and fed. */
export interface InformerOptions<T extends KubeObject, I extends string> {
  /** Watch one namespace (ignored for cluster-scoped resources); default: the factory's, or all. */
  readonly namespace?: string;
  /** Validated when the informer is created: an invalid selector throws `SelectorError` at once. */
  readonly labelSelector?: string | LabelSelector;
  /** Validated when the informer is created, like `labelSelector`. */
  readonly fieldSelector?: string | FieldSelector;
  /**
   * Hold only the objects whose uid (or namespace) hashes into these ranges: one replica's share when
   * several split a resource between them. Sent as `shardSelector` on every list and watch (Kubernetes
   * 1.36+, feature gate `ShardedListAndWatch`), so the API server sends each replica only its share. A
   * server without the feature ignores it and sends everything; the informer then drops what is outside
   * its ranges itself, with the server's hash, so the cache is the same on any cluster, and
   * `health().sharding` says which of the two happens. Part of the informer's identity: informers with
   * different selectors are different informers. A string is parsed (`parseShardSelector`) and an invalid
   * one throws `ShardSelectorError` at once. Change it while running with `SharedInformer.setShardSelector`.
   */
  readonly shardSelector?: string | ShardSelector;
  /** Hold only metadata (`PartialObjectMetadata`), which saves most of the memory. */
  readonly metadataOnly?: boolean;
  /** Added to the shared informer (see `SharedInformer.addIndexers`). */
  readonly indexers?: Indexers<T, I>;
  /** See `SharedInformerOptions.transform`; all users of a shared informer must pass the same one. */
  readonly transform?: (object: T) => T;
  /**
   * Remove `metadata.managedFields` from every object before it is parsed, on the response text (list
   * pages and watch lines); default `false`, or the factory's. Recommended for controllers: managedFields
   * (server-side apply bookkeeping) is 30–45 % of a typical pod's JSON and most of its parse time, and an
   * informer's users rarely read it. The result equals `stripManagedFields` applied after the parse, at
   * a fraction of the cost, and objects keep V8's fast property layout (a `delete` leaves a dictionary).
   * All users of a shared informer must agree on it.
   */
  readonly pruneManagedFields?: boolean;
  /**
   * What the cache keeps per object: `'objects'` (default, or the factory's) or `'compact'`, each
   * object's JSON text (about half the memory and half the watch CPU; reads parse what nobody holds).
   * Choose compact for large caches read a few objects at a time (controllers); keep objects for code
   * that lists the whole cache in a hot loop. See `StorageMode`. All users of a shared informer must
   * agree on it.
   */
  readonly storage?: StorageMode;
  /** Default resync period of this informer's handlers; the first caller's value is kept. */
  readonly resyncPeriodMs?: number;
  readonly pageSize?: number;
  readonly streamingInitialList?: boolean;
  /**
   * Called with the number of objects the list in progress has received so far, after every page (the
   * initial list and relists alike), for progress displays. A shared informer keeps the first caller's.
   */
  readonly onListProgress?: (objectsListedSoFar: number) => void;
}
