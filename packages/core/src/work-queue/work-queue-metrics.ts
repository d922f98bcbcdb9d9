/**
 * Hooks a work queue calls as things happen, for wiring into Prometheus or OpenTelemetry. All optional;
 * each must be quick and must not throw (a throw propagates to the queue's caller). Durations are on the
 * queue's clock.
 * @see client-go `workqueue.MetricsProvider` (depth, adds, latency, work duration, retries); unfinished
 * work and the longest running item are read on demand with `WorkQueue.unfinishedWork()`.
 */
export interface WorkQueueMetrics<K> {
  /** The number of items queued (not waiting for a delay, not in progress) changed to `depth`. */
  depth?(depth: number): void;
  /** `add` (or a delay that ran out) was called for `item`, whether or not it was already queued. */
  added?(item: K): void;
  /** `item` was handed to a worker `latencyMs` after it was queued. */
  queueLatency?(item: K, latencyMs: number): void;
  /** A worker marked `item` done after holding it `durationMs`. */
  workDuration?(item: K, durationMs: number): void;
  /** `addRateLimited` was called for `item`. */
  retried?(item: K): void;
}

/** What is in progress right now. */
export interface UnfinishedWork {
  /** Items handed out and not yet done. */
  readonly inProgress: number;
  /** Sum over those items of the time since each was handed out. */
  readonly unfinishedMs: number;
  /** Time since the oldest of them was handed out; `0` when none is in progress. */
  readonly longestRunningMs: number;
}
