import type { ControllerSource, ReconcileContext } from '../../controller/controller.js';
import { RangeNotOwnedError } from '../../errors/range-not-owned-error.js';
import type {
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from '../../informer/resource-event-handler.js';
import type { KubeObject } from '../../protocol/kube-object.js';
import type { DeepReadonly } from '../../store/deep-readonly.js';
import { objectKey } from '../../store/store.js';
import { fnv1a64 } from '../fnv1a64.js';
import { type ShardRange, wholeHashSpace } from '../shard-range.js';
import type { ShardSelector } from '../shard-selector.js';
import { intersectRanges, rangesContain, rangesEqual, subtractRanges, unionRanges } from './hash-ranges.js';
import type { OwnershipChange } from './ownership-change.js';
import type { RangeOwnership } from './range-ownership.js';

/** What `ShardedPrimary` needs of the primary informer (a `SharedInformer` created with a shard selector). */
export interface ShardableInformer<T extends KubeObject> extends ControllerSource<T> {
  readonly store: {
    list(): DeepReadonly<NoInfer<T>>[];
    getByKey(key: string): DeepReadonly<NoInfer<T>> | undefined;
  };
  /** Absent or throwing for an informer without a shard selector: filtering is then client-side only. */
  setShardSelector?(selector: ShardSelector): Promise<void>;
  readonly shardSelector?: ShardSelector | undefined;
}

/** The selector to create the primary informer with: no range, so it lists nothing before it owns any. */
export const unownedShardSelector: ShardSelector = Object.freeze({
  field: 'object.metadata.uid',
  ranges: [],
});

interface InFlight {
  readonly hash: bigint;
  readonly abort: AbortController;
  readonly finished: Promise<void>;
}

/**
 * A controller's primary source split by a `RangeOwnership`: pass it as `primary` and wrap the reconcile
 * with `reconcileOwned`.
 *
 * - The informer follows the owned ranges (`setShardSelector`). A gained range becomes ready only once
 *   the informer's list with it is in the store; then its objects are enqueued. Until then nothing of it
 *   is enqueued or reconciled, so a reconcile never mistakes a not-yet-listed object for a deleted one.
 * - Events of objects outside the ready ranges never reach the queue.
 * - A key whose range was given away while it waited is dropped when dequeued, without a reconcile. A
 *   reconcile in progress when its range is lost has its signal aborted (reason `RangeNotOwnedError`),
 *   and the range is published as released only after that reconcile returned.
 */
export class ShardedPrimary<T extends KubeObject> implements ControllerSource<T> {
  /** The ranges of the last selector whose list is in the store (everything for an unsharded informer). */
  private listed: ShardRange[];
  /** The ranges whose objects were last enqueued as newly ready. */
  private announced: ShardRange[] = [];
  /** The selector asked for last, to skip retargets that change nothing. */
  private requested: ShardRange[] | undefined;
  private readonly handlers = new Set<ResourceEventHandler<T>>();
  /** The uid of each key seen, for keys whose object left the store before their reconcile. */
  private readonly uids = new Map<string, string>();
  private readonly inFlight = new Map<string, InFlight>();
  private retargeting: Promise<void> = Promise.resolve();

  constructor(
    private readonly informer: ShardableInformer<T>,
    private readonly ownership: RangeOwnership,
  ) {
    this.listed = informer.shardSelector === undefined ? [wholeHashSpace] : [];
    ownership.subscribe((change) => this.changed(change));
  }

  /** The owned ranges whose objects the informer holds: what this replica reconciles. */
  get readyRanges(): readonly ShardRange[] {
    return intersectRanges(this.listed, [...this.ownership.ownedRanges]);
  }

  addEventHandler(handler: ResourceEventHandler<T>, options?: EventHandlerOptions): HandlerRegistration {
    const forward = (object: DeepReadonly<T>) => this.isReady(object);
    const registration = this.informer.addEventHandler(
      {
        onAdd: (object, details) => {
          if (forward(object)) handler.onAdd?.(object, details);
        },
        onUpdate: (before, after) => {
          if (forward(after)) handler.onUpdate?.(before, after);
        },
        onDelete: (object, details) => {
          if (forward(object)) handler.onDelete?.(object, details);
        },
      },
      options,
    );
    this.handlers.add(handler);
    const remove = () => {
      this.handlers.delete(handler);
      registration.remove();
    };
    return { hasSynced: () => registration.hasSynced(), remove, [Symbol.dispose]: remove };
  }

  whenSynced(signal?: AbortSignal): Promise<void> {
    return this.informer.whenSynced(signal);
  }

  /**
   * Wraps a controller's reconcile: keys outside the ready ranges are dropped (the new owner reconciles
   * them), and a reconcile's signal aborts when its range is lost.
   */
  reconcileOwned<R>(
    reconcile: (key: string, context: ReconcileContext) => R | Promise<R>,
  ): (key: string, context: ReconcileContext) => Promise<R | undefined> {
    return async (key, context) => {
      const uid = this.informer.store.getByKey(key)?.metadata?.uid ?? this.uids.get(key);
      if (uid === undefined) return undefined;
      const hash = fnv1a64(uid);
      if (!rangesContain(this.readyRanges, hash)) {
        this.uids.delete(key);
        return undefined;
      }
      const abort = new AbortController();
      let finish: () => void = () => {};
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      this.inFlight.set(key, { hash, abort, finished });
      try {
        const signal = AbortSignal.any([context.signal, abort.signal]);
        return await reconcile(key, { ...context, signal });
      } finally {
        this.inFlight.delete(key);
        if (this.informer.store.getByKey(key) === undefined) this.uids.delete(key);
        finish();
      }
    };
  }

  private isReady(object: DeepReadonly<T>): boolean {
    const uid = object.metadata?.uid;
    if (uid === undefined || !rangesContain(this.readyRanges, fnv1a64(uid))) return false;
    this.uids.set(objectKey(object), uid);
    return true;
  }

  private changed(change: OwnershipChange): Promise<void> | undefined {
    // The informer holds what is assigned as well as what is owned: a range handed over to us is listed
    // while its previous owner drains, and a lapse of our lease (owned empties, assigned stays) costs no
    // relist.
    const wanted = unionRanges([...change.assigned], [...change.owned]);
    if (
      this.informer.shardSelector !== undefined &&
      (this.requested === undefined || !rangesEqual(wanted, this.requested))
    ) {
      this.requested = wanted;
      const selector: ShardSelector = { field: this.informer.shardSelector.field, ranges: wanted };
      const setShardSelector = this.informer.setShardSelector;
      // Retargets run one after another, so the last one issued is the one the informer ends with.
      const listed = this.retargeting.then(() => setShardSelector?.call(this.informer, selector));
      this.retargeting = listed.then(
        () => {
          if (this.requested === wanted) this.listed = wanted;
          this.announceReady();
        },
        () => {},
      );
    }
    this.announceReady();
    if (change.lost.length === 0) return undefined;
    const lost = [...change.lost];
    const waits: Promise<void>[] = [];
    for (const work of this.inFlight.values()) {
      if (!rangesContain(lost, work.hash)) continue;
      work.abort.abort(new RangeNotOwnedError(this.ownership.identity, '', work.hash));
      waits.push(work.finished);
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Enqueues the objects of ranges that became ready (owned and listed) since the last call. */
  private announceReady(): void {
    const ready = [...this.readyRanges];
    const gained = subtractRanges(ready, this.announced);
    this.announced = ready;
    if (gained.length === 0) return;
    for (const object of this.informer.store.list()) {
      const uid = object.metadata?.uid;
      if (uid === undefined || !rangesContain(gained, fnv1a64(uid))) continue;
      this.uids.set(objectKey(object), uid);
      for (const handler of this.handlers) handler.onAdd?.(object, { isInInitialList: false });
    }
  }
}
