import { EventStreamOverflowError } from '../errors/event-stream-overflow-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { ObjectEvent } from '../informer/object-event.js';
import type {
  EventHandlerOptions,
  HandlerRegistration,
  ResourceEventHandler,
} from '../informer/resource-event-handler.js';
import type { DeepReadonly } from '../store/deep-readonly.js';

/**
 * Marks a gap the stream could not hold: the consumer fell `bufferSize` events behind, the buffered
 * events were dropped, and `objects` is the whole cache at the moment the marker is delivered. Treat it
 * as a fresh start: objects you know that are not in `objects` were deleted meanwhile.
 * @see kube-rs `watcher::Event::Restarted` (older versions), `Init`/`InitDone` (newer)
 */
export interface RestartedEvent<T> {
  readonly type: 'restarted';
  readonly objects: readonly DeepReadonly<T>[];
}

/** What an informer event stream yields. */
export type InformerEvent<T> = ObjectEvent<T> | RestartedEvent<T>;

/** What an event stream needs of an informer (a `SharedInformer` is one). */
export interface EventStreamSource<T> {
  addEventHandler(handler: ResourceEventHandler<T>, options?: EventHandlerOptions): HandlerRegistration;
  readonly store: { list(): readonly DeepReadonly<T>[] };
}

export interface InformerEventsOptions extends EventHandlerOptions {
  /** Ends the stream: the `for await` loop finishes normally (no error) and the handler is removed. */
  readonly signal?: AbortSignal;
  /**
   * Live events held for a consumer that has not pulled them yet; default 1000. The initial adds (the
   * cache when the stream starts) do not count: they are references to objects the cache holds anyway.
   */
  readonly bufferSize?: number;
  /**
   * What happens when an event arrives with `bufferSize` events waiting. `'restart'` (the default): drop
   * the waiting events and deliver one `restarted` event with the whole cache instead, then carry on;
   * nothing is lost, since the cache holds every change the dropped events described. `'error'`: the
   * stream throws `EventStreamOverflowError` (`KI_EVENT_STREAM_OVERFLOW`) and ends. Never silent.
   */
  readonly onOverflow?: 'restart' | 'error';
}

/** Default `bufferSize`: a few seconds of a busy cluster's events for one resource. */
const defaultBufferSize = 1000;

/**
 * The informer's notifications as an async iterable, for code that reads better as a loop than as
 * callbacks. Starts with an `add` (`isInInitialList: true`) for every cached object, then every change
 * in the informer's order (per object, as handlers see them), resyncs included when `resyncPeriodMs`
 * asks for them. Subscribes when iteration starts; leaving the loop (`break`, a throw, `signal`) removes
 * the handler. Memory: at most `bufferSize` live events plus the initial adds.
 * @example
 * for await (const event of informer.events({ signal })) {
 *   if (event.type === 'restarted') resetFrom(event.objects);
 *   else console.log(event.type, event.object.metadata?.name);
 * }
 * @see kube-rs `watcher()` stream
 */
export async function* informerEvents<T>(
  source: EventStreamSource<T>,
  options: InformerEventsOptions = {},
): AsyncGenerator<InformerEvent<T>, void, undefined> {
  const { signal, bufferSize = defaultBufferSize, onOverflow = 'restart' } = options;
  if (!Number.isInteger(bufferSize) || bufferSize < 1) {
    throw new InvalidOptionError('bufferSize', `must be a positive integer, got ${bufferSize}`);
  }
  if (signal?.aborted) return;
  let pending: ObjectEvent<T>[] = [];
  let head = 0; // the next event in `pending` (shifting an array is O(n))
  let initialLeft = 0; // undelivered initial adds at the front of `pending`, outside the bound
  let replaying = true;
  let overflowed = false;
  let wake: (() => void) | undefined;
  const push = (event: ObjectEvent<T>) => {
    if (replaying) {
      pending.push(event);
      initialLeft += 1;
      return;
    }
    if (overflowed) return; // the marker to come carries this change
    if (pending.length - head - initialLeft >= bufferSize) {
      overflowed = true;
      pending = [];
      head = 0;
      initialLeft = 0;
    } else {
      pending.push(event);
    }
    wake?.();
  };
  const handlerOptions: EventHandlerOptions =
    options.resyncPeriodMs === undefined ? {} : { resyncPeriodMs: options.resyncPeriodMs };
  const registration = source.addEventHandler(
    {
      onAdd: (object, { isInInitialList }) => push({ type: 'add', object, isInInitialList }),
      onUpdate: (oldObject, object) => push({ type: 'update', oldObject, object }),
      onDelete: (object, { finalStateUnknown }) => push({ type: 'delete', object, finalStateUnknown }),
    },
    handlerOptions,
  );
  replaying = false;
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      if (overflowed) {
        if (onOverflow === 'error') throw new EventStreamOverflowError(bufferSize);
        overflowed = false;
        // Read the cache now, not at overflow: everything dispatched until this moment is in it.
        yield { type: 'restarted', objects: source.store.list() };
        continue;
      }
      const next = pending[head];
      if (next !== undefined) {
        head += 1;
        if (initialLeft > 0) initialLeft -= 1;
        if (head === pending.length) {
          pending = [];
          head = 0;
        } else if (head >= 1024 && head * 2 >= pending.length) {
          // A consumer that never quite catches up must not keep every delivered event alive.
          pending = pending.slice(head);
          head = 0;
        }
        yield next;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    registration.remove();
    signal?.removeEventListener('abort', onAbort);
  }
}
