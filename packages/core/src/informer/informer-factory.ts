import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { Reflector } from '../list-watch/reflector.js';
import { requireBookmarkPeriod } from '../list-watch/requests/bookmark-cadence.js';
import { ServerReachability } from '../list-watch/retry/server-reachability.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { PartialObjectMetadata } from '../protocol/partial-object-metadata.js';
import type { ResourceDescriptor } from '../protocol/resource-descriptor.js';
import type { Transport } from '../protocol/transport.js';
import { parseFieldSelector } from '../selectors/field-selector.js';
import { parseLabelSelector } from '../selectors/label-selector.js';
import { parseShardSelector } from '../sharding/parse-shard-selector.js';
import { ShardTarget } from '../sharding/shard-target.js';
import type { Indexers } from '../store/store.js';
import type { StorageMode } from '../store/store-writer.js';
import { systemClock } from '../time/clock.js';
import type { FactoryHealth, InformerHealth } from './informer-health.js';
import type { InformerFactoryDefaults, InformerOptions } from './informer-options.js';
import type { ListWatchRunner } from './shared-informer.js';
import { SharedInformer } from './shared-informer.js';

/**
 * Creates informers shared by resource and list options, and runs them.
 * @see client-go `informers.SharedInformerFactory`
 */
export interface InformerFactory {
  /**
   * The shared informer of `resource` for these list options (namespace, selectors, metadata-only): the
   * same instance for every caller asking for the same, so one list+watch and one cache serve them all.
   * Indexers given for an existing informer are added to it. Throws `SelectorError` for an invalid
   * selector, `IndexConflictError` for an index name already used by another function, and
   * `InvalidOptionError` for a transform or a `pruneManagedFields` different from the shared informer's.
   */
  informerFor<T extends KubeObject, I extends string = never>(
    resource: ResourceDescriptor<T>,
    options: InformerOptions<PartialObjectMetadata, I> & { readonly metadataOnly: true },
  ): SharedInformer<PartialObjectMetadata, I>;
  informerFor<T extends KubeObject, I extends string = never>(
    resource: ResourceDescriptor<T>,
    options?: InformerOptions<T, I> & { readonly metadataOnly?: false },
  ): SharedInformer<T, I>;
  /**
   * Runs, in the background, every informer that is not running, until `signal` aborts or `shutdown()`.
   * Call it again after creating more informers. Does nothing after `shutdown()`.
   * @see client-go `SharedInformerFactory.Start`
   */
  start(signal: AbortSignal): void;
  /**
   * Resolves when every informer running at the time of the call has synced. Rejects with the signal's
   * reason if `signal` aborts first, or with `InformerStoppedError` if one stops unsynced. No polling.
   * @see client-go `SharedInformerFactory.WaitForCacheSync`
   */
  waitForCacheSync(signal?: AbortSignal): Promise<void>;
  /**
   * The health of every informer created, by a readable name, and whether all those started are synced
   * and running (`ready`; false before `start` and after `shutdown`). No I/O; call it from a probe handler.
   * @example
   * // readiness: every cache complete; liveness: no informer failing for a minute on end
   * const ready = factory.health().ready;
   * const live = Object.values(factory.health().informers).every(
   *   (informer) => informer.consecutiveFailures === 0 || performance.now() - (informer.lastActivityAt ?? 0) < 60_000,
   * );
   */
  health(): FactoryHealth;
  /**
   * Stops every informer and resolves once all their connections and timers are released. Idempotent.
   * @see client-go `SharedInformerFactory.Shutdown`
   */
  shutdown(): Promise<void>;
}

/** A factory of shared informers over `transport`. Nothing runs until `start`. */
export function createInformerFactory(
  transport: Transport,
  defaults: InformerFactoryDefaults = {},
): InformerFactory {
  return new SharedInformerFactory(transport, defaults);
}

interface Entry {
  // Informers of different object types live side by side; each is only ever used with its own type.
  readonly informer: SharedInformer<KubeObject, string>;
  /** How `health()` names it; changes with the shard selector. */
  name: string;
  readonly transform: ((object: never) => unknown) | undefined;
  readonly pruneManagedFields: boolean;
  readonly storage: StorageMode;
  running: Promise<void> | undefined;
}

class SharedInformerFactory implements InformerFactory {
  private readonly entries = new Map<string, Entry>();
  private readonly stopping = new AbortController();
  /** One informer reaching the server after failures cuts the backoff of the others. */
  private readonly reachability = new ServerReachability();
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly defaults: InformerFactoryDefaults,
  ) {
    if (defaults.bookmarkPeriodMs !== undefined) requireBookmarkPeriod(defaults.bookmarkPeriodMs);
  }

  informerFor<T extends KubeObject, I extends string = never>(
    resource: ResourceDescriptor<T>,
    options: InformerOptions<T, I> = {},
  ): SharedInformer<T, I> {
    const labelSelector = normalize(options.labelSelector, parseLabelSelector);
    const fieldSelector = normalize(options.fieldSelector, parseFieldSelector);
    const namespace = resource.namespaced ? (options.namespace ?? this.defaults.namespace) : undefined;
    const metadataOnly = options.metadataOnly === true;
    const shardTarget =
      options.shardSelector === undefined
        ? undefined
        : new ShardTarget(
            typeof options.shardSelector === 'string'
              ? parseShardSelector(options.shardSelector)
              : options.shardSelector,
          );
    const group = resource.group === '' ? 'core' : resource.group;
    const keyOf = (shard: string | undefined) =>
      JSON.stringify([
        group,
        resource.version,
        resource.resource,
        namespace,
        labelSelector,
        fieldSelector,
        metadataOnly,
        shard,
      ]);
    const key = keyOf(shardIdentity(shardTarget));
    const transform = options.transform ?? this.defaults.transform;
    const pruneManagedFields = options.pruneManagedFields ?? this.defaults.pruneManagedFields ?? false;
    const storage = options.storage ?? this.defaults.storage ?? 'objects';
    const existing = this.entries.get(key);
    if (existing !== undefined) {
      if (storage !== existing.storage) {
        throw new InvalidOptionError(
          'storage',
          `the shared ${describe(resource)} informer was created with storage: ${existing.storage}`,
        );
      }
      if (transform !== existing.transform) {
        throw new InvalidOptionError(
          'transform',
          `the shared ${describe(resource)} informer was created with a different transform`,
        );
      }
      if (pruneManagedFields !== existing.pruneManagedFields) {
        throw new InvalidOptionError(
          'pruneManagedFields',
          `the shared ${describe(resource)} informer was created with pruneManagedFields: ${existing.pruneManagedFields}`,
        );
      }
      if (options.indexers !== undefined)
        existing.informer.addIndexers(options.indexers as unknown as Indexers<KubeObject, I>);
      return existing.informer as unknown as SharedInformer<T, I>;
    }
    const { clock = systemClock, random, backoff, bookmarkPeriodMs } = this.defaults;
    const pageSize = options.pageSize ?? this.defaults.pageSize;
    const streamingInitialList = options.streamingInitialList ?? this.defaults.streamingInitialList;
    // With a shard selector, the one it was created with: metrics keep this name when it changes.
    const name = informerName(
      resource,
      namespace,
      labelSelector,
      fieldSelector,
      metadataOnly,
      shardTarget?.wireText,
    );
    const metrics = this.defaults.reflectorMetrics?.(name);
    const listWatch: ListWatchRunner<T> = ({ sink, signal, onError, health }) =>
      new Reflector<T>({
        transport: this.transport,
        resource,
        sink,
        namespace,
        labelSelector,
        fieldSelector,
        shardTarget,
        pageSize,
        streamingInitialList,
        metadataOnly,
        pruneManagedFields,
        keepText: storage === 'compact',
        onListProgress: options.onListProgress,
        clock,
        backoff,
        random,
        onError,
        health,
        bookmarkPeriodMs,
        reachability: this.reachability,
        metrics,
      }).run(signal);
    const informer = new SharedInformer<T, I>({
      resourceName: describe(resource),
      listWatch,
      indexers: options.indexers,
      transform,
      resyncPeriodMs: options.resyncPeriodMs ?? this.defaults.resyncPeriodMs,
      storage,
      clock,
      onError: this.defaults.onError,
      shardTarget,
    });
    const nameOf = (shard: string | undefined) =>
      informerName(resource, namespace, labelSelector, fieldSelector, metadataOnly, shard);
    const entry: Entry = {
      informer: informer as unknown as Entry['informer'],
      name,
      transform,
      pruneManagedFields,
      storage,
      running: undefined,
    };
    this.entries.set(key, entry);
    // A new selector is a new identity: the informer is found under it from then on (unless another
    // informer already holds it, which keeps it).
    let currentKey = key;
    shardTarget?.onChange(() => {
      const nextKey = keyOf(shardIdentity(shardTarget));
      if (this.entries.has(nextKey)) return;
      this.entries.delete(currentKey);
      this.entries.set(nextKey, entry);
      currentKey = nextKey;
      entry.name = nameOf(shardTarget.wireText);
    });
    return informer;
  }

  start(signal: AbortSignal): void {
    if (this.stopping.signal.aborted || signal.aborted) return;
    const combined = AbortSignal.any([signal, this.stopping.signal]);
    for (const entry of this.entries.values()) {
      if (entry.running !== undefined) continue;
      const running = entry.informer.run(combined).finally(() => {
        if (entry.running === running) entry.running = undefined;
      });
      entry.running = running;
    }
  }

  waitForCacheSync(signal?: AbortSignal): Promise<void> {
    const waits = [...this.entries.values()]
      .filter((entry) => entry.running !== undefined)
      .map((entry) => entry.informer.whenSynced(signal));
    return Promise.all(waits).then(() => undefined);
  }

  health(): FactoryHealth {
    const informers: Record<string, InformerHealth> = {};
    let started = 0;
    let serving = 0;
    for (const entry of this.entries.values()) {
      const health = entry.informer.health();
      informers[entry.name] = health;
      if (entry.running === undefined) continue;
      started += 1;
      if (health.synced && health.phase !== 'stopped') serving += 1;
    }
    // Nothing started (yet, or any more) is not ready either.
    return { ready: started > 0 && serving === started, informers };
  }

  shutdown(): Promise<void> {
    this.stopping.abort();
    this.stopped ??= Promise.allSettled([...this.entries.values()].map((entry) => entry.running)).then(
      () => undefined,
    );
    return this.stopped;
  }
}

function normalize<S extends { toString(): string }>(
  selector: string | S | undefined,
  parse: (text: string) => S,
): string | undefined {
  if (selector === undefined) return undefined;
  const text = (typeof selector === 'string' ? parse(selector) : selector).toString();
  return text === '' ? undefined : text;
}

/** `pods`, `pods in shop`, `deployments.apps (app=web; status.phase=Running) metadata`. */
function informerName(
  resource: Pick<ResourceDescriptor, 'group' | 'resource'>,
  namespace: string | undefined,
  labelSelector: string | undefined,
  fieldSelector: string | undefined,
  metadataOnly: boolean,
  shardSelector: string | undefined,
): string {
  let name = describe(resource);
  if (namespace !== undefined) name += ` in ${namespace}`;
  const selectors = [labelSelector, fieldSelector, shardSelector].filter(
    (selector) => selector !== undefined,
  );
  if (selectors.length > 0) name += ` (${selectors.join('; ')})`;
  return metadataOnly ? `${name} metadata` : name;
}

/** A selector with no range and `[0, 1)` are sent alike but differ. */
function shardIdentity(target: ShardTarget | undefined): string | undefined {
  return target === undefined ? undefined : `${target.selector.ranges.length} ${target.wireText}`;
}

function describe(resource: Pick<ResourceDescriptor, 'group' | 'resource'>): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}
