/// <reference lib="esnext.disposable" preserve="true" />
// Consumers compiling for ES2022 lack `Disposable` unless the declaration asks for it, as @types/node does.
import type { DeepReadonly } from '../store/deep-readonly.js';

/** What `onAdd` learns besides the object. */
export interface AddContext {
  /**
   * True for objects of the first complete list after the informer started, and for the replay of the
   * cache to a handler added later; false for objects created while watching or discovered by a relist.
   */
  readonly isInInitialList: boolean;
}

/** What `onDelete` learns besides the object. */
export interface DeleteContext {
  /**
   * True when the deletion was inferred from a relist (the object was missing from it) rather than seen
   * as a watch event: the object passed is the last state this informer knew, which may be stale.
   * @see client-go `cache.DeletedFinalStateUnknown` (here a flag, not a wrapper object)
   */
  readonly finalStateUnknown: boolean;
}

/**
 * Receives an informer's notifications. Every method is optional. Handlers are called synchronously by
 * the informer, after the store was updated, so a handler reading the store sees a state at least as new
 * as the event. Keep them quick and hand slow work to a queue: while a handler runs, the informer does
 * not process further events. A returned promise is not awaited; its rejection is reported like a throw.
 *
 * Objects are shared with the store and every other handler: never mutate them.
 * @see client-go `cache.ResourceEventHandler`
 */
export interface ResourceEventHandler<T> {
  onAdd?(object: DeepReadonly<T>, context: AddContext): void | PromiseLike<void>;
  /** `oldObject === newObject` for a resync. */
  onUpdate?(oldObject: DeepReadonly<T>, newObject: DeepReadonly<T>): void | PromiseLike<void>;
  /** `object` is the last state of the object (see `finalStateUnknown`). */
  onDelete?(object: DeepReadonly<T>, context: DeleteContext): void | PromiseLike<void>;
}

export interface EventHandlerOptions {
  /**
   * Every this many milliseconds (on the informer's clock), replay the whole cache to this handler as
   * updates with `oldObject === newObject`. This never talks to the server: it re-delivers what is
   * held, so that level-driven controllers revisit every object. `0` (or absent with no informer
   * default) disables it; positive values below 1000 are raised to 1000, as in client-go.
   * @see client-go `AddEventHandlerWithResyncPeriod`
   */
  readonly resyncPeriodMs?: number;
}

/**
 * A handler's subscription. Removing it (`remove()`, or leaving a `using` block) stops every further
 * call, including the rest of a replay or resync in progress. Idempotent.
 * @see client-go `cache.ResourceEventHandlerRegistration`
 */
export interface HandlerRegistration extends Disposable {
  /**
   * True once the informer has synced and this handler has received everything the cache held when it
   * was added (with synchronous dispatch, right after `addEventHandler` returns on a synced informer).
   */
  hasSynced(): boolean;
  remove(): void;
}
