import { QueueShutDownError } from '../errors/queue-shut-down-error.js';
import type { Clock, ClockTimer } from '../time/clock.js';
import { systemClock } from '../time/clock.js';
import { DelayHeap } from './delay-heap.js';
import type { RateLimiter } from './rate-limiter.js';
import { createDefaultControllerRateLimiter } from './rate-limiter.js';
import type { UnfinishedWork, WorkQueueMetrics } from './work-queue-metrics.js';

export interface WorkQueueOptions<K> {
  /** A name for messages and metrics. */
  readonly name?: string;
  readonly clock?: Clock;
  /** Used by `addRateLimited`; default `createDefaultControllerRateLimiter` (5 ms → 1000 s, 10 qps, burst 100). */
  readonly rateLimiter?: RateLimiter<K>;
  readonly metrics?: WorkQueueMetrics<K>;
}

interface Waiter<K> {
  resolve(item: K): void;
  reject(error: unknown): void;
}

/**
 * A queue of work items for controllers, with client-go's guarantees:
 * - De-duplication: an item added while it is queued is queued once.
 * - An item is held by at most one worker: one added while a worker holds it is queued again only when
 *   that worker calls `done`, so the second processing sees the newer state.
 * - Fairness: items are handed out in the order they were (first) queued; waiting `get()` calls are served
 *   in the order they were made.
 * - Delays: `addAfter` waits on the clock (an item waiting twice keeps the earlier time);
 *   `addRateLimited` waits as long as the rate limiter says; `forget` resets the item's backoff.
 * - Shutdown: `add` is ignored from then on and delayed items are dropped; items already queued are still
 *   handed out, then `get()` rejects with `QueueShutDownError` (async iteration ends). `shutDownWithDrain`
 *   also waits until every item handed out is done.
 *
 * Items are compared like `Map` keys: use strings (object keys) or other primitives.
 * Every caller of `get()` must call `done(item)` when finished, whether the work succeeded or not.
 * @see client-go `workqueue.TypedRateLimitingInterface`
 */
export class WorkQueue<K> implements AsyncIterable<K> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly metrics: WorkQueueMetrics<K> | undefined;
  // FIFO as an array with a moving head: push and shift are O(1) amortized, compacted when half is dead.
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  /** Items handed out and not done, with the time each was handed out. */
  private readonly processing = new Map<K, number>();
  private readonly queuedAt = new Map<K, number>();
  private readonly waiters: Waiter<K>[] = [];
  private readonly delayed = new DelayHeap<K>();
  private delayTimer: ClockTimer | undefined;
  private delayTimerDue = Number.POSITIVE_INFINITY;
  private shuttingDown = false;
  private drainWaiters: (() => void)[] = [];

  constructor(options: WorkQueueOptions<K> = {}) {
    this.name = options.name ?? 'work queue';
    this.clock = options.clock ?? systemClock;
    this.rateLimiter = options.rateLimiter ?? createDefaultControllerRateLimiter<K>(this.clock);
    this.metrics = options.metrics;
  }

  /** Items queued and ready, not counting those in progress or waiting for a delay. */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Items waiting for `addAfter`/`addRateLimited` delays to run out. */
  get waitingCount(): number {
    return this.delayed.size;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Queues `item` unless it is queued already; if a worker holds it, it is queued again at `done`. */
  add(item: K): void {
    if (this.shuttingDown) return;
    this.metrics?.added?.(item);
    if (this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.push(item);
  }

  /** Adds `item` once `delayMs` passed on the clock (at once when `delayMs <= 0`). */
  addAfter(item: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    if (this.delayed.insert(item, readyAt) && readyAt < this.delayTimerDue) this.scheduleDelayTimer();
  }

  /** Adds `item` after the delay the rate limiter gives it (which records one more retry). */
  addRateLimited(item: K): void {
    if (this.shuttingDown) return;
    this.metrics?.retried?.(item);
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Clears the rate limiter's record of `item` (its retries); call it after the item succeeded. */
  forget(item: K): void {
    this.rateLimiter.forget(item);
  }

  /** Retries recorded for `item` since it was last forgotten. */
  numRequeues(item: K): number {
    return this.rateLimiter.numRequeues(item);
  }

  /**
   * Resolves with the next item, which the caller then holds until `done(item)`. Waits while the queue is
   * empty. Rejects with `QueueShutDownError` once the queue is shut down and empty.
   */
  get(): Promise<K> {
    const item = this.tryGet();
    if (item !== undefined) return Promise.resolve(item);
    if (this.shuttingDown) return Promise.reject(new QueueShutDownError(this.name));
    return new Promise<K>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /** Like `get()`, but synchronous: the next item, or `undefined` when none is queued. */
  tryGet(): K | undefined {
    if (this.head === this.queue.length) return undefined;
    const item = this.queue[this.head] as K;
    this.queue[this.head] = undefined as K;
    this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.handOut(item);
    return item;
  }

  /**
   * Marks `item` finished by the worker that got it. If it was added meanwhile, it is queued again now.
   * Calling it for an item not in progress does nothing.
   */
  done(item: K): void {
    const startedAt = this.processing.get(item);
    if (startedAt === undefined) return;
    this.processing.delete(item);
    this.metrics?.workDuration?.(item, this.clock.now() - startedAt);
    if (this.dirty.has(item)) this.push(item);
    if (this.processing.size === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * Stops accepting items and drops those waiting for a delay. Items already queued are still handed out;
   * `get()` calls waiting on an empty queue reject with `QueueShutDownError`. Idempotent.
   */
  shutDown(): void {
    if (!this.shuttingDown) {
      this.shuttingDown = true;
      this.delayTimer?.cancel();
      this.delayTimer = undefined;
      this.delayTimerDue = Number.POSITIVE_INFINITY;
      this.delayed.clear();
    }
    if (this.length === 0) {
      const waiters = this.waiters.splice(0);
      for (const waiter of waiters) waiter.reject(new QueueShutDownError(this.name));
    }
  }

  /** `shutDown()`, then resolves when every item handed out is done. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** What workers hold right now and for how long. */
  unfinishedWork(): UnfinishedWork {
    const now = this.clock.now();
    let unfinishedMs = 0;
    let longestRunningMs = 0;
    for (const startedAt of this.processing.values()) {
      unfinishedMs += now - startedAt;
      longestRunningMs = Math.max(longestRunningMs, now - startedAt);
    }
    return { inProgress: this.processing.size, unfinishedMs, longestRunningMs };
  }

  /**
   * Yields items as `get()` does and ends when the queue is shut down and empty. The loop body must call
   * `done(item)`; breaking out of the loop does not shut the queue down.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<K> {
    for (;;) {
      let item: K;
      try {
        item = await this.get();
      } catch (error) {
        if (error instanceof QueueShutDownError) return;
        throw error;
      }
      yield item;
    }
  }

  private push(item: K): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      // A waiting worker takes the item at once: it never sits queued, so its latency is zero.
      this.dirty.delete(item);
      this.processing.set(item, this.clock.now());
      this.metrics?.queueLatency?.(item, 0);
      waiter.resolve(item);
      return;
    }
    this.queue.push(item);
    if (this.metrics?.queueLatency !== undefined) this.queuedAt.set(item, this.clock.now());
    this.metrics?.depth?.(this.length);
  }

  private handOut(item: K): void {
    this.dirty.delete(item);
    const now = this.clock.now();
    this.processing.set(item, now);
    if (this.metrics !== undefined) {
      const queuedAt = this.queuedAt.get(item);
      if (queuedAt !== undefined) {
        this.queuedAt.delete(item);
        this.metrics.queueLatency?.(item, now - queuedAt);
      }
      this.metrics.depth?.(this.length);
    }
  }

  private scheduleDelayTimer(): void {
    this.delayTimer?.cancel();
    const due = this.delayed.nextReadyAt;
    if (due === undefined) {
      this.delayTimer = undefined;
      this.delayTimerDue = Number.POSITIVE_INFINITY;
      return;
    }
    this.delayTimerDue = due;
    // The clock may already be past `due` (a late timer, sub-millisecond clocks): never a negative delay.
    this.delayTimer = this.clock.setTimeout(() => this.releaseDelayed(), Math.max(0, due - this.clock.now()));
  }

  private releaseDelayed(): void {
    this.delayTimer = undefined;
    this.delayTimerDue = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    for (let item = this.delayed.popReady(now); item !== undefined; item = this.delayed.popReady(now)) {
      this.add(item);
    }
    this.scheduleDelayTimer();
  }
}
