import { WaitTimeoutError } from '../errors/wait-timeout-error.js';
import type {
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from '../informer/resource-event-handler.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { Clock, ClockTimer } from '../time/clock.js';
import { systemClock } from '../time/clock.js';

/** What `waitFor` needs of an informer (a `SharedInformer` is one). */
export interface WaitForSource<T> {
  addEventHandler(handler: ResourceEventHandler<T>, options?: EventHandlerOptions): HandlerRegistration;
  /** Times `timeoutMs`; a `SharedInformer` exposes its factory's clock. */
  readonly clock?: Clock;
}

export interface WaitForOptions {
  /** Gives up: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Gives up after this long on the informer's clock with `WaitTimeoutError`; absent: no limit. */
  readonly timeoutMs?: number;
}

/**
 * Resolves with the first object in the informer's cache that meets `condition`: one already cached
 * (checked at once, synchronously), else the first added or updated one. Rejects with `WaitTimeoutError`
 * (`KI_WAIT_TIMEOUT`) after `timeoutMs`, or with the signal's reason when it aborts. It waits on the
 * cache, so it sees what the informer's namespace and selectors let in, and never talks to the server;
 * an informer that is not running never matches a new object (only a timeout or the signal ends that).
 * Leaves no handler or timer behind.
 * @example
 * const ready = await waitFor(podInformer, (pod) => pod.status?.phase === 'Running', { timeoutMs: 60_000 });
 * @see `kubectl wait --for=jsonpath=…`, kube-rs `await_condition`
 */
export function waitFor<T, S extends DeepReadonly<T>>(
  source: WaitForSource<T>,
  condition: (object: DeepReadonly<T>) => object is S,
  options?: WaitForOptions,
): Promise<S>;
export function waitFor<T>(
  source: WaitForSource<T>,
  condition: (object: DeepReadonly<T>) => boolean,
  options?: WaitForOptions,
): Promise<DeepReadonly<T>>;
export function waitFor<T>(
  source: WaitForSource<T>,
  condition: (object: DeepReadonly<T>) => boolean,
  options: WaitForOptions = {},
): Promise<DeepReadonly<T>> {
  const { signal, timeoutMs } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    let settled = false;
    let registration: HandlerRegistration | undefined;
    let timer: ClockTimer | undefined;
    const finish = () => {
      settled = true;
      registration?.remove();
      timer?.cancel();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(signal?.reason);
    };
    const check = (object: DeepReadonly<T>) => {
      if (settled) return;
      let met: boolean;
      try {
        met = condition(object);
      } catch (error) {
        finish();
        reject(error);
        return;
      }
      if (met) {
        finish();
        resolve(object);
      }
    };
    // The handler's replay hands over every cached object before `addEventHandler` returns: that is
    // the check of the current cache, with no window between it and the live events.
    registration = source.addEventHandler({ onAdd: check, onUpdate: (_, object) => check(object) });
    if (settled) {
      registration.remove();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = (source.clock ?? systemClock).setTimeout(() => {
        finish();
        reject(new WaitTimeoutError(timeoutMs));
      }, timeoutMs);
    }
  });
}
