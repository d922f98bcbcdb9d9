import { InformerStoppedError } from '../errors/informer-stopped-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import { TransformError } from '../errors/transform-error.js';
import { HealthRecorder } from '../list-watch/health-recorder.js';
import type { ListWatchSink } from '../list-watch/list-watch-sink.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { SourceText } from '../protocol/source-text.js';
import { takeSourceText } from '../protocol/source-text.js';
import type { ShardSelector } from '../sharding/shard-selector.js';
import type { ShardTarget } from '../sharding/shard-target.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import { asReadonly } from '../store/deep-readonly.js';
import { Lister } from '../store/lister.js';
import { ReadOnlyStore } from '../store/read-only-store.js';
import type { Indexers, Store } from '../store/store.js';
import { objectKey } from '../store/store.js';
import type { StorageMode, StoreWriter } from '../store/store-writer.js';
import { createStoreWriter } from '../store/store-writer.js';
import type { InformerEvent, InformerEventsOptions } from '../streams/informer-events.js';
import { informerEvents } from '../streams/informer-events.js';
import type { Clock } from '../time/clock.js';
import { systemClock } from '../time/clock.js';
import { EventDistributor } from './event-distributor.js';
import type { InformerHealth } from './informer-health.js';
import type {
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from './resource-event-handler.js';

/**
 * Runs the list/watch loop that feeds an informer until `signal` aborts, writing into `sink`. The
 * factory passes one backed by a `Reflector`; tests pass their own to drive the sink directly.
 */
export type ListWatchRunner<T> = (context: {
  readonly sink: ListWatchSink<T>;
  readonly signal: AbortSignal;
  readonly onError: (error: KubeInformersError) => void;
  /** Where the loop records its phase, activity and failures; `health()` reads it. */
  readonly health: HealthRecorder;
}) => Promise<void>;

export interface SharedInformerOptions<T extends KubeObject, I extends string> {
  /** A name for messages, e.g. `pods`. */
  readonly resourceName: string;
  readonly listWatch: ListWatchRunner<T>;
  /** Named index functions; their names become the store's typed index names. */
  readonly indexers?: Indexers<T, I>;
  /**
   * Runs on every object before it is stored or delivered (list items and watch events alike), e.g.
   * `stripManagedFields` to save memory. It receives a freshly decoded object it may mutate and return.
   * If it throws, the error is reported and the object is stored as received.
   */
  readonly transform?: (object: T) => T;
  /** Default resync period of handlers added without one; `0` (the default) disables resync. */
  readonly resyncPeriodMs?: number;
  /**
   * What the cache keeps per object: the parsed objects (`'objects'`, the default) or their JSON text
   * (`'compact'`: about half the memory and half the watch CPU; reads parse). See `StorageMode`. With
   * `'compact'`, the list/watch runner should record each object's text (`ReflectorOptions.keepText`);
   * objects arriving without one are serialized.
   */
  readonly storage?: StorageMode;
  readonly clock?: Clock;
  /** Receives every error the informer survives: list/watch failures, index functions, handlers. */
  readonly onError?: (error: KubeInformersError) => void;
  /** The shard selector `listWatch` lists and watches with, for `setShardSelector`. */
  readonly shardTarget?: ShardTarget;
}

/**
 * A cache of one resource kept current by list+watch, an indexed store over it, and notifications to
 * any number of handlers.
 *
 * Guarantees (the client-go contract, made precise):
 * - Eventual consistency: when the server stops changing, the store converges to the server's state
 *   (for the informer's namespace and selectors), whatever connections dropped meanwhile.
 * - Ordering: each handler sees the events of one object in the order they happened, and never an
 *   update or a delete before that object's add. Events of different objects are not ordered against
 *   each other by any promise beyond the stream order.
 * - Intermediate states may be skipped: after a reconnect or relist, a handler sees only the newest
 *   state; objects deleted meanwhile arrive as deletes with `finalStateUnknown: true`, objects deleted
 *   and recreated under the same name (new UID) as such a delete followed by an add. Unlike client-go,
 *   a relist announces only objects whose `resourceVersion` changed (use resync to revisit everything).
 * - The store is updated before handlers are notified, atomically per list.
 * - Resync replays the cache to a handler as `onUpdate(object, object)`; it never relists.
 * - Nothing the informer survives is thrown: errors go to `onError`.
 *
 * @see client-go `cache.SharedIndexInformer`
 */
export class SharedInformer<T extends KubeObject, I extends string = never> {
  private readonly indexedStore: StoreWriter<T, I>;
  private readonly compact: boolean;
  /** What consumers get: reads only; the writer above never leaves this class. */
  private readonly readOnlyStore: ReadOnlyStore<T, I>;
  private readonly distributor: EventDistributor<T>;
  private readonly syncWaiters = new Set<{ resolve(): void; reject(error: unknown): void }>();
  private synced = false;
  private lastResourceVersion: string | undefined;
  private currentRun: Promise<void> | undefined;
  private listerInstance: Lister<T> | undefined;
  private readonly healthRecorder: HealthRecorder;

  constructor(private readonly options: SharedInformerOptions<T, I>) {
    this.healthRecorder = new HealthRecorder((options.clock ?? systemClock).now());
    this.compact = options.storage === 'compact';
    this.indexedStore = createStoreWriter<T, I>(options.storage ?? 'objects', options.indexers, (error) =>
      this.report(error),
    );
    this.readOnlyStore = new ReadOnlyStore(this.indexedStore);
    this.distributor = new EventDistributor<T>(
      {
        clock: options.clock ?? systemClock,
        list: () => this.indexedStore.list(),
        hasSynced: () => this.synced,
        report: (error) => this.report(error),
      },
      options.resyncPeriodMs ?? 0,
    );
  }

  /** The read-only cache. Reads are synchronous; see `Store` for consistency. */
  get store(): Store<T, I> {
    return this.readOnlyStore;
  }

  /** Typed reads by namespace and label selector over `store`. */
  get lister(): Lister<T> {
    this.listerInstance ??= new Lister<T>(this.readOnlyStore);
    return this.listerInstance;
  }

  /**
   * The resource version of the last list, event or bookmark applied: how current the cache is. Opaque;
   * compare only for equality. `undefined` before the first list.
   * @see client-go `LastSyncResourceVersion`
   */
  get lastSyncResourceVersion(): string | undefined {
    return this.lastResourceVersion;
  }

  /**
   * The informer's liveness now: its phase (listing, watching, backing off until `retryAt`, stopped),
   * when it last heard from the server, its failures in a row and its last error. Cheap (no I/O); the
   * same object until something changes. See the liveness contract in `Reflector` for how soon a dead
   * connection shows.
   * @example
   * const { phase, consecutiveFailures, lastActivityAt } = informer.health();
   */
  readonly health = (): InformerHealth => this.healthRecorder.health();

  /**
   * Calls `listener` after every change of `health()` except `lastActivityAt` (which moves with every
   * event; read it when needed). Returns the function that unsubscribes. A listener that throws is
   * ignored. Shaped for React's `useSyncExternalStore(informer.onHealthChange, informer.health)`; both
   * are bound.
   */
  readonly onHealthChange = (listener: () => void): (() => void) => this.healthRecorder.subscribe(listener);

  /** The shard selector the cache holds (or is switching to); `undefined` for an unsharded informer. */
  get shardSelector(): ShardSelector | undefined {
    return this.options.shardTarget?.selector;
  }

  /**
   * Switches a sharded informer to other hash ranges while it runs, without a gap: it relists at once
   * with `selector`, and the cache keeps serving the old ranges until the new list replaces them
   * atomically. Handlers then see adds for the objects of ranges gained and deletes (final state unknown)
   * for those of ranges given up; objects in both stay. The promise resolves once that list is in the
   * store and delivered, so every object of a gained range is held before it resolves (at once if
   * `selector` selects what is held already). Rejects with `InformerStoppedError` if the informer stops
   * first; a later call supersedes an earlier one, and both resolve with the later list.
   *
   * Throws `ShardSelectorError` for a range outside the hash space (changing nothing), and
   * `InvalidOptionError` for an informer created without a `shardSelector` (its identity in the factory
   * says it holds everything). A selector with no range holds nothing.
   */
  setShardSelector(selector: ShardSelector): Promise<void> {
    const target = this.options.shardTarget;
    if (target === undefined) {
      throw new InvalidOptionError(
        'shardSelector',
        `the ${this.options.resourceName} informer was created without a shard selector`,
      );
    }
    return target.retarget(selector);
  }

  /** True while `run` is in progress. */
  get isRunning(): boolean {
    return this.currentRun !== undefined;
  }

  /**
   * True once the first complete list was stored and delivered to the handlers; stays true after the
   * informer stops (the cache stays readable).
   * @see client-go `HasSynced`
   */
  hasSynced(): boolean {
    return this.synced;
  }

  /**
   * Resolves once `hasSynced()` (at once if it already is). Rejects with the signal's reason when
   * `signal` aborts first, and with `InformerStoppedError` when a run of the informer ends unsynced.
   */
  whenSynced(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => waiter.reject(signal?.reason);
      const waiter = {
        resolve: () => {
          finish();
          resolve();
        },
        reject: (error: unknown) => {
          finish();
          reject(error);
        },
      };
      const finish = () => {
        this.syncWaiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
      };
      this.syncWaiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Adds a handler. It first receives `onAdd(object, { isInInitialList: true })` for every object already
   * held (synchronously, before this returns), then every change. See `ResourceEventHandler` for how
   * handlers are called.
   * @see client-go `AddEventHandlerWithResyncPeriod`
   */
  addEventHandler(handler: ResourceEventHandler<T>, options?: EventHandlerOptions): HandlerRegistration {
    return this.distributor.add(handler, options);
  }

  /**
   * The notifications as an async iterable: an add for every cached object, then every change; a
   * bounded buffer with a stated overflow policy (see `informerEvents`). Leaving the loop unsubscribes.
   * @example for await (const event of informer.events({ signal })) console.log(event.type);
   */
  events(options?: InformerEventsOptions): AsyncGenerator<InformerEvent<T>, void, undefined> {
    return informerEvents(this, options);
  }

  /** The clock that times this informer's resyncs and health (the factory's); `waitFor` uses it too. */
  get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /**
   * Adds indexes, also while running: objects already held are indexed at once (O(size)). Returns the
   * store typed with the new names. Throws `IndexConflictError` (changing nothing) for a name already
   * used by a different function.
   * @see client-go `AddIndexers`
   */
  addIndexers<J extends string>(indexers: Indexers<T, J>): Store<T, I | J> {
    this.indexedStore.addIndexers(indexers);
    // The same view serves the new names: it forwards every read to the writer, which now keeps them too.
    return this.readOnlyStore as unknown as Store<T, I | J>;
  }

  /**
   * Lists, watches and notifies until `signal` aborts; resolves once everything (connections, timers) is
   * released. Never rejects for server errors: the loop retries and reports them to `onError`. Calling it
   * while already running returns the running promise. A later run keeps the cache and relists into it.
   * @see client-go `SharedInformer.Run`
   */
  run(signal: AbortSignal): Promise<void> {
    this.currentRun ??= this.runOnce(signal).finally(() => {
      this.currentRun = undefined;
    });
    return this.currentRun;
  }

  private async runOnce(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    let active = true;
    const sink: ListWatchSink<T> = {
      replace: (objects, resourceVersion) => {
        if (active) this.replace(objects, resourceVersion);
      },
      apply: (event, resourceVersion) => {
        if (active) this.apply(event.type, event.object, resourceVersion);
      },
      bookmark: (resourceVersion) => {
        if (active) this.lastResourceVersion = resourceVersion;
      },
      // Only a store that keeps text has something to do per listed object.
      ...(this.indexedStore.stage === undefined || this.options.transform !== undefined
        ? {}
        : { prepare: (object: T) => this.prepareListed(object) }),
    };
    this.distributor.startResync();
    try {
      await this.options.listWatch({
        sink,
        signal,
        onError: (error) => this.report(error),
        health: this.healthRecorder,
      });
    } finally {
      active = false;
      this.distributor.stopResync();
      this.options.shardTarget?.stopped(new InformerStoppedError(this.options.resourceName));
      if (!this.synced) {
        const error = new InformerStoppedError(this.options.resourceName);
        for (const waiter of [...this.syncWaiters]) waiter.reject(error);
      }
    }
  }

  private replace(objects: readonly T[], resourceVersion: string): void {
    const initial = !this.synced;
    const transformed = objects.map((object) => this.transformed(object));
    const texts = this.compact ? objects.map((object) => this.textOf(object)) : undefined;
    const changes = this.indexedStore.replace(transformed, texts);
    this.lastResourceVersion = resourceVersion;
    this.distributor.dispatch(changes, { isInInitialList: initial, finalStateUnknown: true });
    this.indexedStore.settle();
    if (initial) {
      this.synced = true;
      this.healthRecorder.markSynced();
      for (const waiter of [...this.syncWaiters]) waiter.resolve();
    }
  }

  /**
   * A compact store describes a listed object as its page arrives, so the parsed page dies young; the
   * snapshot then holds stand-ins that parse only when read. Not while handlers are registered: they
   * read every listed object when the snapshot lands, which would parse each one a second time.
   */
  private prepareListed(object: T): T {
    const { stage } = this.indexedStore;
    if (stage === undefined || this.distributor.hasHandlers) return object;
    return stage.call(this.indexedStore, asReadonly(object), takeSourceText(object)) as T;
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', received: T, resourceVersion: string): void {
    const text = this.compact ? this.textOf(received) : undefined;
    const object = this.transformed(received);
    this.lastResourceVersion = resourceVersion;
    if (type === 'DELETED') {
      // A delete of something never held (e.g. already removed by a relist) is nothing to announce.
      if (this.indexedStore.delete(object) !== undefined) {
        this.distributor.deliver('deleted', undefined, object, false, false);
      }
      return;
    }
    const previous = this.indexedStore.upsert(object, text);
    if (previous === undefined) this.distributor.deliver('added', undefined, object, false, false);
    else this.distributor.deliver('updated', previous, object, false, false);
    this.indexedStore.settle();
  }

  /**
   * The text a compact store keeps for `received`: the text it arrived as, unless a transform changes
   * the object (the store then serializes what the transform returned).
   */
  private textOf(received: T): SourceText | undefined {
    const text = takeSourceText(received);
    return this.options.transform === undefined ? text : undefined;
  }

  private transformed(object: T): DeepReadonly<T> {
    const { transform } = this.options;
    if (transform === undefined) return asReadonly(object);
    try {
      return asReadonly(transform(object));
    } catch (error) {
      this.report(new TransformError(objectKey(object), error));
      return asReadonly(object);
    }
  }

  private report(error: KubeInformersError): void {
    const { onError } = this.options;
    if (onError === undefined) {
      console.error(error);
      return;
    }
    try {
      onError(error);
    } catch (hookError) {
      console.error(error, hookError);
    }
  }
}
