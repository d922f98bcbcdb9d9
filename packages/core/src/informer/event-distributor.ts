import { HandlerError } from '../errors/handler-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { StoreChange } from '../store/indexed-store.js';
import { objectKey } from '../store/store.js';
import type { Clock, ClockTimer } from '../time/clock.js';
import type {
  AddContext,
  DeleteContext,
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from './resource-event-handler.js';

/** client-go's `minimumResyncPeriod`: resyncing more often than every second only burns CPU. */
const minimumResyncPeriodMs = 1000;

interface Registration<T> {
  readonly handler: ResourceEventHandler<T>;
  readonly resyncPeriodMs: number;
  timer: ClockTimer | undefined;
  removed: boolean;
}

export interface DistributorEnvironment<T> {
  readonly clock: Clock;
  /** Everything the cache holds, for replays and resyncs. */
  list(): DeepReadonly<T>[];
  hasSynced(): boolean;
  report(error: KubeInformersError): void;
}

/**
 * Delivers an informer's changes to its handlers.
 *
 * Dispatch is synchronous: the informer calls `dispatch` after each store write and every handler has
 * been called when it returns. That gives per-object, per-handler ordering for free (there is no queue
 * to reorder or to grow without bound), and the store is final before any handler runs, so neither a
 * slow nor a throwing handler can leave it half-written. The price: a slow handler delays every other
 * handler and the watch; handlers should hand real work to a work queue, as client-go controllers do.
 *
 * The handler list is copy-on-write, so handlers added or removed during a dispatch never see a partial
 * batch: a new handler gets the cache (already final) replayed instead; a removed one is called no more.
 */
export class EventDistributor<T extends KubeObject> {
  private registrations: readonly Registration<T>[] = [];
  private resyncing = false;

  constructor(
    private readonly environment: DistributorEnvironment<T>,
    private readonly defaultResyncPeriodMs: number,
  ) {}

  /** Whether any handler is registered. */
  get hasHandlers(): boolean {
    return this.registrations.length > 0;
  }

  add(handler: ResourceEventHandler<T>, options: EventHandlerOptions = {}): HandlerRegistration {
    const registration: Registration<T> = {
      handler,
      resyncPeriodMs: resolveResyncPeriod(options.resyncPeriodMs ?? this.defaultResyncPeriodMs),
      timer: undefined,
      removed: false,
    };
    this.registrations = [...this.registrations, registration];
    for (const object of this.environment.list()) {
      this.call(registration, 'onAdd', object, () => handler.onAdd?.(object, { isInInitialList: true }));
    }
    if (this.resyncing) this.scheduleResync(registration);
    const remove = () => {
      if (registration.removed) return;
      registration.removed = true;
      registration.timer?.cancel();
      this.registrations = this.registrations.filter((candidate) => candidate !== registration);
    };
    return {
      hasSynced: () => this.environment.hasSynced(),
      remove,
      [Symbol.dispose]: remove,
    };
  }

  /** Delivers `changes` in order to every current handler. */
  dispatch(
    changes: readonly StoreChange<T>[],
    context: { readonly isInInitialList: boolean; readonly finalStateUnknown: boolean },
  ): void {
    // One snapshot of the handlers for the whole batch: a handler added meanwhile gets the (final) cache
    // replayed instead, and must not also see the rest of the batch.
    const registrations = this.registrations;
    for (const change of changes) {
      this.deliver(
        change.type,
        change.type === 'updated' ? change.oldObject : undefined,
        change.object,
        context.isInInitialList,
        context.finalStateUnknown,
        registrations,
      );
    }
  }

  /**
   * Delivers one change to every current handler (or to `registrations`, a batch's snapshot): the watch
   * path's entry. It allocates nothing per event or handler (the contexts are shared constants, no
   * closure is made unless a handler fails).
   */
  deliver(
    type: StoreChange<T>['type'],
    oldObject: DeepReadonly<T> | undefined,
    object: DeepReadonly<T>,
    isInInitialList: boolean,
    finalStateUnknown: boolean,
    registrations: readonly Registration<T>[] = this.registrations,
  ): void {
    for (let index = 0; index < registrations.length; index++) {
      const registration = registrations[index] as Registration<T>;
      if (registration.removed) continue;
      const { handler } = registration;
      let result: unknown;
      try {
        if (type === 'added') result = handler.onAdd?.(object, isInInitialList ? initialAdd : laterAdd);
        else if (type === 'updated') result = handler.onUpdate?.(oldObject ?? object, object);
        else result = handler.onDelete?.(object, finalStateUnknown ? inferredDelete : observedDelete);
      } catch (error) {
        this.fail(handlerMethods[type], object, error);
        continue;
      }
      if (isPromiseLike(result)) {
        result.then(undefined, (error: unknown) => this.fail(handlerMethods[type], object, error));
      }
    }
  }

  /** Starts the resync timers (while the informer runs). */
  startResync(): void {
    this.resyncing = true;
    for (const registration of this.registrations) this.scheduleResync(registration);
  }

  /** Cancels every resync timer, so a stopped informer keeps nothing scheduled. */
  stopResync(): void {
    this.resyncing = false;
    for (const registration of this.registrations) {
      registration.timer?.cancel();
      registration.timer = undefined;
    }
  }

  private scheduleResync(registration: Registration<T>): void {
    if (registration.resyncPeriodMs === 0 || registration.removed) return;
    registration.timer?.cancel();
    registration.timer = this.environment.clock.setTimeout(() => {
      registration.timer = undefined;
      if (!this.resyncing || registration.removed) return;
      if (this.environment.hasSynced()) {
        for (const object of this.environment.list()) {
          this.call(registration, 'onUpdate', object, () => registration.handler.onUpdate?.(object, object));
        }
      }
      this.scheduleResync(registration);
    }, registration.resyncPeriodMs);
  }

  private call(
    registration: Registration<T>,
    method: HandlerError['handlerMethod'],
    object: DeepReadonly<T>,
    invoke: () => unknown,
  ): void {
    if (registration.removed) return;
    try {
      const result = invoke();
      if (isPromiseLike(result)) result.then(undefined, (error: unknown) => this.fail(method, object, error));
    } catch (error) {
      this.fail(method, object, error);
    }
  }

  private fail(method: HandlerError['handlerMethod'], object: DeepReadonly<T>, error: unknown): void {
    this.environment.report(new HandlerError(method, objectKey(object), error));
  }
}

const handlerMethods = { added: 'onAdd', updated: 'onUpdate', deleted: 'onDelete' } as const;
// Shared, frozen contexts: handlers receive read-only contexts, so one object per meaning suffices.
const initialAdd: AddContext = Object.freeze({ isInInitialList: true });
const laterAdd: AddContext = Object.freeze({ isInInitialList: false });
const inferredDelete: DeleteContext = Object.freeze({ finalStateUnknown: true });
const observedDelete: DeleteContext = Object.freeze({ finalStateUnknown: false });

/** Validates a resync period; `0` disables resync. */
export function resolveResyncPeriod(periodMs: number): number {
  if (!Number.isFinite(periodMs) || periodMs < 0) {
    throw new InvalidOptionError(
      'resyncPeriodMs',
      `expected 0 (off) or a positive number of milliseconds, got ${periodMs}`,
    );
  }
  return periodMs === 0 ? 0 : Math.max(periodMs, minimumResyncPeriodMs);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
