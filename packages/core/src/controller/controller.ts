import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import { ReconcileError } from '../errors/reconcile-error.js';
import type {
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from '../informer/resource-event-handler.js';
import type { KubeObject } from '../protocol/kube-object.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import { objectKey } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { systemClock } from '../time/clock.js';
import type { RateLimiter } from '../work-queue/rate-limiter.js';
import { WorkQueue } from '../work-queue/work-queue.js';
import type { WorkQueueMetrics } from '../work-queue/work-queue-metrics.js';
import type { PrimaryKeyMapping } from './primary-key-mappings.js';

/** What a controller needs of an informer (a `SharedInformer` is one). */
export interface ControllerSource<T> {
  addEventHandler(handler: ResourceEventHandler<T>, options?: EventHandlerOptions): HandlerRegistration;
  whenSynced(signal?: AbortSignal): Promise<void>;
}

/** A secondary informer and how its objects map to primary keys (see `byControllerOwner`, `byLabel`). */
export interface SecondarySource<S> {
  readonly informer: ControllerSource<S>;
  readonly toPrimaryKeys: PrimaryKeyMapping<S>;
}

export interface ReconcileContext {
  /**
   * Aborts when the controller stops, in every `onStop` mode: the signal given to `run` aborted (leadership
   * lost, or shutdown). Check it before each write; writes through a guarded client
   * (`makeGuardedApiClient`) are also refused once leadership is over, even before this signal noticed.
   */
  readonly signal: AbortSignal;
  /** Earlier failures of this key since its last success (0 on a first try). */
  readonly attempt: number;
}

/** What `reconcile` may return. */
export interface ReconcileResult {
  /** Reconcile this key again after this long even if nothing changes (e.g. to poll an external system). */
  readonly requeueAfterMs?: number;
}

// biome-ignore lint/suspicious/noConfusingVoidType: lets a function that returns nothing (`async` or not) be a reconcile.
type ReconcileOutcome = ReconcileResult | undefined | void;

export interface ControllerOptions<T extends KubeObject> {
  /** A name for messages and errors; default `controller`. */
  readonly name?: string;
  /** Every add, update, delete and resync of a primary object enqueues its key. */
  readonly primary: ControllerSource<T>;
  /** Changes to these objects enqueue the primary keys they map to (the old and the new object's). */
  // biome-ignore lint/suspicious/noExplicitAny: each secondary has its own object type.
  readonly secondaries?: readonly SecondarySource<any>[];
  /**
   * Brings the world in line with the primary object at `key` (`namespace/name`), reading from listers:
   * an object missing from the primary's store was deleted. A throw or rejection retries the key through
   * the rate limiter (and is reported as `ReconcileError`); success forgets its failures.
   */
  readonly reconcile: (
    key: string,
    context: ReconcileContext,
  ) => ReconcileOutcome | Promise<ReconcileOutcome>;
  /** Keys reconciled at once (never the same key twice); default 1. */
  readonly workers?: number;
  /**
   * What stopping does with reconciles in progress. Their signal aborts in both modes, so they write
   * nothing more. `drain` (the default): `run` resolves after they returned, so a leader elector releases
   * its lease only once no reconcile of this controller is running. `abandon`: `run` resolves at once.
   */
  readonly onStop?: 'drain' | 'abandon';
  /** Replays every primary (and secondary) object to the queue this often; `0`/absent: never. */
  readonly resyncPeriodMs?: number;
  readonly rateLimiter?: RateLimiter<string>;
  readonly metrics?: WorkQueueMetrics<string>;
  readonly clock?: Clock;
  /** Receives `ReconcileError`s and the errors of mapping functions; default `console.error`. */
  readonly onError?: (error: KubeInformersError | Error) => void;
}

/**
 * The informer → work queue → reconcile loop, as client-go's sample controller wires it by hand.
 *
 * Contract:
 * - Level-driven: reconcile receives a key, not an event; it reads the current state from listers.
 *   Several changes while a key waits collapse into one reconcile.
 * - Every change to a primary (adds, updates, deletes including `finalStateUnknown` ones, resyncs) leads
 *   to a reconcile of its key that starts after the change reached the informer's store.
 * - One key is never reconciled twice at once; different keys run on up to `workers` in parallel.
 * - Workers start only after every informer synced, so reconcile never sees a partial cache.
 * @see client-go `workqueue` + `cache` in `k8s.io/sample-controller`; controller-runtime `Reconciler`
 */
export interface Controller {
  readonly name: string;
  /** The controller's queue (for metrics and tests); `add` enqueues a key by hand. */
  readonly queue: WorkQueue<string>;
  /**
   * Subscribes to the informers, waits for their caches, reconciles until `signal` aborts, then stops as
   * `onStop` says. Resolves when stopped; rejects only if called twice.
   */
  run(signal: AbortSignal): Promise<void>;
}

/** Creates a controller; nothing happens until `run`. */
export function createController<T extends KubeObject>(options: ControllerOptions<T>): Controller {
  const name = options.name ?? 'controller';
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new InvalidOptionError('workers', `must be a positive integer, got ${workers}`);
  }
  const clock = options.clock ?? systemClock;
  const queue = new WorkQueue<string>({
    name,
    clock,
    ...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
  const report = options.onError ?? ((error: unknown) => console.error(error));
  let started = false;

  const subscribe = (): HandlerRegistration[] => {
    const handlerOptions: EventHandlerOptions =
      options.resyncPeriodMs === undefined ? {} : { resyncPeriodMs: options.resyncPeriodMs };
    const enqueue = (object: DeepReadonly<T>) => queue.add(objectKey(object));
    const registrations = [
      options.primary.addEventHandler(
        { onAdd: enqueue, onUpdate: (_, object) => enqueue(object), onDelete: enqueue },
        handlerOptions,
      ),
    ];
    for (const secondary of options.secondaries ?? []) {
      const enqueueMapped = (object: DeepReadonly<unknown>) => {
        try {
          for (const key of secondary.toPrimaryKeys(object)) queue.add(key);
        } catch (error) {
          report(error instanceof Error ? error : new Error(String(error)));
        }
      };
      registrations.push(
        secondary.informer.addEventHandler(
          {
            onAdd: enqueueMapped,
            // Both: an object whose owner or label changed concerns the old primary and the new one.
            onUpdate: (before: DeepReadonly<unknown>, after: DeepReadonly<unknown>) => {
              if (before !== after) enqueueMapped(before);
              enqueueMapped(after);
            },
            onDelete: enqueueMapped,
          },
          handlerOptions,
        ),
      );
    }
    return registrations;
  };

  const work = async (stopped: AbortSignal): Promise<void> => {
    for (;;) {
      let key: string;
      try {
        key = await queue.get();
      } catch {
        return; // shut down and empty
      }
      if (stopped.aborted) {
        queue.done(key);
        return;
      }
      const attempt = queue.numRequeues(key);
      try {
        const returned = options.reconcile(key, { signal: stopped, attempt });
        // A synchronous reconcile costs no extra turn of the microtask queue.
        const result = isPromiseLike(returned) ? await returned : returned;
        queue.forget(key);
        if (result?.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      } catch (error) {
        report(new ReconcileError(name, key, attempt, error));
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };

  return {
    name,
    queue,
    async run(signal) {
      if (started) throw new InvalidOptionError('run', `${name} runs once; create another controller`);
      started = true;
      const registrations = subscribe();
      try {
        const sources = [
          options.primary,
          ...(options.secondaries ?? []).map((secondary) => secondary.informer),
        ];
        try {
          await Promise.all(sources.map((source) => source.whenSynced(signal)));
        } catch (error) {
          if (signal.aborted) return;
          throw error;
        }
        const running = Array.from({ length: workers }, () => work(signal));
        await new Promise<void>((resolve) => {
          if (signal.aborted) resolve();
          else signal.addEventListener('abort', () => resolve(), { once: true });
        });
        if (options.onStop === 'abandon') {
          queue.shutDown();
          return;
        }
        await queue.shutDownWithDrain();
        await Promise.all(running);
      } finally {
        for (const registration of registrations) registration.remove();
        queue.shutDown();
      }
    },
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
