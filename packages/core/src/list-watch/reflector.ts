import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import { apiErrorFromStatus } from '../protocol/api-status.js';
import type { KubeObject } from '../protocol/kube-object.js';
import { resourcePath } from '../protocol/resource-descriptor.js';
import { initialEventsEndAnnotation, parseWatchEvent } from '../protocol/watch-event.js';
import { WatchLineDecoder } from '../protocol/watch-line-decoder.js';
import type { Clock } from '../time/clock.js';
import { systemClock } from '../time/clock.js';
import { HealthRecorder } from './health-recorder.js';
import type {
  ListRequest,
  ListWatchEffect,
  ListWatchInput,
  ListWatchState,
  ListWatchTransition,
  WatchRequest,
} from './list-watch-state.js';
import { initialTransition, transition } from './list-watch-transition.js';
import { ReflectorMetricsRecorder } from './reflector-metrics-recorder.js';
import type { ReflectorOptions } from './reflector-options.js';
import { ReflectorSharding } from './reflector-sharding.js';
import type { ListPage } from './requests/list-page-fetch.js';
import { ListPager } from './requests/list-pager.js';
import { type WatchLifetime, WatchLiveness } from './requests/watch-liveness.js';
import { openWatchStream } from './requests/watch-stream.js';
import { createBackoffPolicy } from './retry/backoff.js';
import { RetryPacing } from './retry/retry-pacing.js';
import { SnapshotBuffer } from './snapshot-buffer.js';
import { fillTypeMeta, type TypeMeta, typeMetaOf } from './type-meta.js';

/** client-go's page size. */
const defaultPageSize = 500;

type Operation<T extends KubeObject> = Extract<
  ListWatchEffect<T>,
  { type: 'requestList' | 'openWatch' | 'wait' }
>;

/**
 * Keeps a `ListWatchSink` in step with one resource on the API server: lists it (in pages, or by
 * streaming list), hands the snapshot to the sink at once, then watches from the snapshot's version and
 * applies every change in order. The loop itself is `list-watch-transition.ts`; this class performs its I/O.
 *
 * Staleness: the sink lags the server by the watch latency while connected; during a reconnect or a
 * backoff (at most 30 s, plus a `Retry-After` the server asks for), it holds the last state received and
 * `lastSyncResourceVersion` stays at the last version applied.
 * Liveness: a watch (`allowWatchBookmarks` is always asked for) is taken for dead after 2.5 times the
 * longest bookmark interval it has shown plus 1 s of silence (`BookmarkCadence`): within 3.5 s at 1 s
 * bookmarks, 2.5 min at a real API server's 60 s; before it has shown one, after 151 s (the API
 * server's 60 s period, or `bookmarkPeriodMs`). Watches that stall in a row without a bookmark double
 * that, up to the watch timeout (5–10 min) plus 30 s, for servers that send none. A list page is taken
 * for dead after 90 s of silence. The transport may detect a dead connection sooner (the adapter's
 * HTTP/2 PINGs).
 * Recovery: clean ends rewatch from the last version, and so does a watch that failed after delivering
 * something, at once; a version the server no longer has (410) leads to a relist, delivered as one
 * `replace` (objects deleted meanwhile vanish from it); every other failure is reported to `onError`
 * and retried with backoff, forever, until `signal` aborts. The backoff starts over at every progress
 * (an event, a bookmark, a completed snapshot, a 410 from a working server), and when another reflector
 * sharing `reachability` reaches the server after failures, a wait after a failure to reach it ends
 * within a random 0–1 s. So it grows only while attempts fail in a row: with the
 * server down or answering 5xx/429 throughout, at most one request per backoff step (0.8 s doubling to
 * 30 s, ±50 % jitter, at least `Retry-After`). Bad input (a malformed line, an oversized line, a proxy's
 * error page) is never applied.
 * Cost: one connection at a time, plus one prefetched list page while listing; memory beyond the sink is
 * the current page's text and the snapshot being assembled.
 * @see client-go `cache.Reflector`
 */
export class Reflector<T extends KubeObject> {
  private readonly clock: Clock;
  private readonly path: string;
  private readonly pageSize: number;
  private readonly snapshot = new SnapshotBuffer<T>();
  private readonly liveness: WatchLiveness;
  private readonly retry: RetryPacing;
  private readonly typeMeta: TypeMeta;
  private readonly health: HealthRecorder;
  private readonly pager: ListPager<T>;
  private readonly sharding: ReflectorSharding;
  private readonly metrics: ReflectorMetricsRecorder;
  private state: ListWatchState | undefined;
  private running = false;

  constructor(private readonly options: ReflectorOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.path = resourcePath(options.resource, { namespace: options.namespace });
    this.pageSize = options.pageSize ?? defaultPageSize;
    this.health = options.health ?? new HealthRecorder(this.clock.now());
    const random = options.random ?? Math.random;
    this.liveness = new WatchLiveness(this.clock, random, options.bookmarkPeriodMs);
    this.typeMeta = typeMetaOf(options.resource, options.metadataOnly === true);
    this.pager = new ListPager(options, this.clock, this.path, this.pageSize);
    this.sharding = new ReflectorSharding(options.shardTarget, this.health);
    this.metrics = new ReflectorMetricsRecorder(options.metrics, this.clock);
    const backoff = options.backoff ?? createBackoffPolicy();
    this.retry = new RetryPacing(this.clock, backoff, random, this.health, this.metrics);
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1) {
      throw new InvalidOptionError('pageSize', 'must be a whole number of at least 1');
    }
  }

  /** The version the sink is current to; `undefined` before the first snapshot. */
  get lastSyncResourceVersion(): string | undefined {
    return this.state?.resourceVersion;
  }

  /**
   * Runs until `signal` aborts; then releases every connection and timer and resolves. Never rejects for
   * server or network errors (they go to onError and are retried). One run at a time.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new InvalidOptionError('run', 'the reflector is already running');
    this.running = true;
    const unsubscribe = this.options.reachability?.subscribe(this, () => this.siblingReachedServer());
    // Operations run under a cycle signal that a new shard selector aborts, to relist with it at once.
    let cycle = new AbortController();
    const abortCycle = () => cycle.abort(signal.reason);
    signal.addEventListener('abort', abortCycle);
    const unsubscribeShard = this.sharding.follow(() => cycle.abort());
    try {
      const streaming = () => this.state?.streamingList ?? this.options.streamingInitialList === true;
      let operation = this.execute(initialTransition<T>(streaming()));
      while (operation !== undefined && !signal.aborted) {
        try {
          operation = await this.perform(operation, cycle.signal);
        } catch (error) {
          if (!this.sharding.retargeted || signal.aborted) throw error;
        }
        if (this.sharding.retargeted && !signal.aborted) {
          // A fresh consistent list with the new selector; the store keeps serving the old ranges until
          // it replaces them atomically (objects leaving arrive as deletes, those gained as adds).
          this.sharding.retargeted = false;
          this.pager.abandon();
          this.snapshot.clear();
          cycle = new AbortController();
          operation = this.execute(initialTransition<T>(streaming()));
        }
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      unsubscribe?.();
      unsubscribeShard?.();
      signal.removeEventListener('abort', abortCycle);
      this.pager.abandon();
      this.snapshot.clear();
      this.running = false;
      this.health.enter('stopped', this.clock.now());
    }
  }

  private perform(operation: Operation<T>, signal: AbortSignal): Promise<Operation<T>> {
    switch (operation.type) {
      case 'requestList':
        return this.list(operation.request, signal);
      case 'openWatch':
        return this.watch(operation.request, signal);
      case 'wait':
        return this.wait(operation.retryAfterSeconds, signal);
    }
  }

  private async list(request: ListRequest, signal: AbortSignal): Promise<Operation<T>> {
    let page: ListPage<T>;
    try {
      page = await this.pager.load(request, signal).result;
    } catch (error) {
      this.pager.abandon();
      if (signal.aborted) throw error;
      return this.expect({ type: 'listFailed', error: error as KubeInformersError });
    }
    this.reachedServer();
    const items = this.sharding.pageItems(page);
    for (const item of items) fillTypeMeta(item, this.typeMeta);
    const { prepare } = this.options.sink;
    this.snapshot.addPage(prepare === undefined ? items : items.map((item) => prepare(item)));
    this.sharding.pageReceived(page);
    this.options.onListProgress?.(this.snapshot.size);
    const { resourceVersion, continueToken } = page;
    return this.expect({ type: 'listPageReceived', resourceVersion, continueToken });
  }

  private async watch(request: WatchRequest, signal: AbortSignal): Promise<Operation<T>> {
    const lifetime = this.liveness.begin(request, signal, this.path);
    const startedAt = this.clock.now();
    try {
      const opened = await openWatchStream(this.options, this.path, request, lifetime);
      if ('failure' in opened) return this.expect({ type: 'watchFailed', error: opened.failure });
      this.reachedServer();
      this.execute(transition(this.state as ListWatchState, { type: 'watchOpened' }));
      this.metrics.watchOpened();
      return await this.consume(opened.body[Symbol.asyncIterator](), request, lifetime, startedAt);
    } finally {
      this.metrics.watchEnded(signal.aborted);
      this.liveness.end(lifetime);
    }
  }

  /** Reads the stream into the loop until the loop moves on, the stream ends, or it fails. */
  private async consume(
    body: AsyncIterator<Uint8Array>,
    request: WatchRequest,
    lifetime: WatchLifetime,
    startedAt: number,
  ): Promise<Operation<T>> {
    const { scope } = lifetime;
    const decoder = new WatchLineDecoder();
    const connectedAt = this.clock.now();
    try {
      for (;;) {
        let lines: string[];
        let done: boolean | undefined;
        try {
          const chunk = await body.next();
          scope.touch();
          done = chunk.done;
          lines = chunk.done === true ? decoder.end() : decoder.push(chunk.value);
        } catch (error) {
          // Only the transport and the decoder are in this block: the sink's own failures propagate.
          const connectedMs = this.clock.now() - connectedAt;
          return this.expect({ type: 'watchFailed', error: scope.toFailure(error), connectedMs });
        }
        for (const line of lines) {
          const next = this.receive(line, request, lifetime);
          if (next !== undefined) return next;
        }
        if (done === true)
          return this.expect({ type: 'watchEnded', durationMs: this.clock.now() - startedAt });
      }
    } finally {
      scope.close();
      if (body.return !== undefined) Promise.resolve(body.return()).catch(() => undefined);
    }
  }

  /** One watch line through the loop; an operation when it ends this connection. */
  private receive(line: string, request: WatchRequest, lifetime: WatchLifetime): Operation<T> | undefined {
    let event: ReturnType<typeof parseWatchEvent<T>>;
    try {
      event = parseWatchEvent<T>(
        line,
        this.options.pruneManagedFields === true,
        this.options.keepText === true,
      );
    } catch (error) {
      return this.expect({ type: 'watchFailed', error: error as KubeInformersError });
    }
    const state = this.state as ListWatchState;
    if (event.type !== 'ERROR') this.metrics.watchEvent(event.type);
    switch (event.type) {
      case 'ERROR':
        return this.expect({
          type: 'watchFailed',
          error: apiErrorFromStatus(event.object, request.resourceVersion),
        });
      case 'BOOKMARK': {
        lifetime.bookmarkReceived();
        const { metadata } = event.object;
        const initialEventsEnd = metadata.annotations?.[initialEventsEndAnnotation] === 'true';
        return this.execute(
          transition(state, {
            type: 'bookmark',
            resourceVersion: metadata.resourceVersion,
            initialEventsEnd,
          }),
        );
      }
      default:
        if (!this.sharding.admits(event.object)) return undefined;
        fillTypeMeta(event.object, this.typeMeta);
        return this.execute(transition(state, { type: 'watchEvent', change: event }));
    }
  }

  private async wait(retryAfterSeconds: number | undefined, signal: AbortSignal): Promise<Operation<T>> {
    await this.retry.wait(retryAfterSeconds, signal);
    return this.expect({ type: 'timerFired' });
  }

  /** A 2xx answer: after failures (a backoff since the last progress), the siblings hear of it. */
  private reachedServer(): void {
    if (this.retry.failing) this.options.reachability?.reached(this);
  }

  private siblingReachedServer(): void {
    if (this.state?.kind === 'waiting') this.execute(transition(this.state, { type: 'serverReachable' }));
  }

  /** Feeds `input` to the loop; the input must end the current operation. */
  private expect(input: ListWatchInput<T>): Operation<T> {
    if (input.type === 'watchFailed') this.metrics.watchFailed(input.error.code);
    const operation = this.execute(transition(this.state as ListWatchState, input));
    if (operation === undefined) throw new Error(`list/watch loop: ${input.type} started no operation`);
    return operation;
  }

  /** Enters the transition's state and performs its synchronous effects; returns the next operation. */
  private execute(step: ListWatchTransition<T>): Operation<T> | undefined {
    this.state = step.state;
    let operation: Operation<T> | undefined;
    for (const effect of step.effects) {
      switch (effect.type) {
        case 'requestList':
          this.health.enter('listing', this.clock.now());
          if (effect.request.continueToken === undefined) this.metrics.snapshotStarted();
          operation = effect;
          break;
        case 'openWatch':
          this.health.enter(effect.request.sendInitialEvents ? 'listing' : 'watching', this.clock.now());
          if (effect.request.sendInitialEvents) {
            this.metrics.snapshotStarted();
            this.sharding.streamingListOpened();
          }
          operation = effect;
          break;
        case 'wait':
          this.retry.prepare();
          operation = effect;
          break;
        case 'progress':
          this.retry.reset();
          this.health.progressed();
          break;
        case 'recovered':
          this.health.progressed();
          break;
        case 'hurry':
          this.retry.hurry();
          break;
        case 'replace': {
          // A snapshot asked for with a shard selector since replaced is not stored: the loop relists.
          if (this.sharding.retargeted) {
            this.snapshot.clear();
            break;
          }
          const objects = this.snapshot.take();
          this.options.sink.replace(objects, effect.resourceVersion);
          this.health.activity(this.clock.now());
          this.metrics.snapshotTaken(objects.length);
          this.sharding.snapshotStored();
          break;
        }
        case 'discard':
          this.snapshot.clear();
          break;
        case 'collect':
          this.snapshot.collect(effect.change);
          if (this.snapshot.size % this.pageSize === 0) this.options.onListProgress?.(this.snapshot.size);
          break;
        case 'apply':
          this.options.sink.apply(effect.change, effect.resourceVersion);
          this.health.activity(this.clock.now());
          break;
        case 'bookmark':
          this.options.sink.bookmark(effect.resourceVersion);
          this.health.activity(this.clock.now());
          break;
        case 'report':
          this.health.failed(effect.error);
          try {
            this.options.onError?.(effect.error);
          } catch {
            // A failing error hook must not stop the loop it reports on.
          }
          break;
      }
    }
    return operation;
  }
}
