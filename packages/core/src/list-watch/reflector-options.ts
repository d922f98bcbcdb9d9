import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { ResourceDescriptor } from '../protocol/resource-descriptor.js';
import type { Transport } from '../protocol/transport.js';
import type { ShardTarget } from '../sharding/shard-target.js';
import type { Clock } from '../time/clock.js';
import type { HealthRecorder } from './health-recorder.js';
import type { ListWatchSink } from './list-watch-sink.js';
import type { ReflectorMetrics } from './reflector-metrics.js';
import type { BackoffPolicy } from './retry/backoff.js';
import type { ServerReachability } from './retry/server-reachability.js';

/** What a `Reflector` keeps in step, through which transport, and how it lists, waits and reports. */
export interface ReflectorOptions<T extends KubeObject> {
  readonly transport: Transport;
  readonly resource: ResourceDescriptor<T>;
  readonly sink: ListWatchSink<T>;
  /** `undefined`: all namespaces (or a cluster-scoped resource). */
  readonly namespace?: string | undefined;
  /** Passed through as query parameters. */
  readonly labelSelector?: string | undefined;
  readonly fieldSelector?: string | undefined;
  /**
   * Only the objects of these hash ranges (Kubernetes 1.36+ `shardSelector`). Sent on every list and
   * watch; the loop also drops objects outside them itself, which is all the filtering a server without
   * the feature gets. A change of selector relists with the new one at once.
   */
  readonly shardTarget?: ShardTarget | undefined;
  /** Objects per list page; default 500. */
  readonly pageSize?: number | undefined;
  /** Take snapshots by streaming list (`sendInitialEvents`) where the server supports it; default false. */
  readonly streamingInitialList?: boolean | undefined;
  /** Ask for `PartialObjectMetadata` (list) / `PartialObjectMetadata` (watch) objects: metadata only. */
  readonly metadataOnly?: boolean | undefined;
  /**
   * Remove each object's `metadata.managedFields` from the response text before it is parsed (list
   * pages and watch lines); see `pruneManagedFields`. Default false.
   */
  readonly pruneManagedFields?: boolean | undefined;
  /**
   * Record each object's own JSON text beside it (`takeSourceText`), for an informer whose store keeps
   * text (`storage: 'compact'`). Default false.
   */
  readonly keepText?: boolean | undefined;
  /** Default `systemClock`; every wait (backoff, Retry-After, stall detection) goes through it. */
  readonly clock?: Clock | undefined;
  /** Default: `createBackoffPolicy()`, client-go's numbers. */
  readonly backoff?: BackoffPolicy | undefined;
  /** Default `Math.random`: watch timeouts and backoff jitter. */
  readonly random?: (() => number) | undefined;
  /** Everything the loop survives (and retries); a hook that throws is ignored. */
  readonly onError?: ((error: KubeInformersError) => void) | undefined;
  /** Objects received so far by the snapshot being taken, after every page; for progress displays. */
  readonly onListProgress?: ((objectsListedSoFar: number) => void) | undefined;
  /** Where the loop records its phase, activity and failures (`SharedInformer.health()` reads it). */
  readonly health?: HealthRecorder | undefined;
  /**
   * The period at which the server bookmarks a watch, assumed until a watch shows its own: a watch silent
   * for 2.5 times it plus 1 s is taken for dead. Default 60 s (the API server's), so 151 s.
   */
  readonly bookmarkPeriodMs?: number | undefined;
  /** Shared by the reflectors of one factory: one reaching the server after failures cuts the others' backoff. */
  readonly reachability?: ServerReachability | undefined;
  /** Hooks for lists, watches, events and backoff (see `ReflectorMetrics`). */
  readonly metrics?: ReflectorMetrics | undefined;
}
