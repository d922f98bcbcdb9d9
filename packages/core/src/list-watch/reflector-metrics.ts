/**
 * Why a watch connection ended: `closed` when the server ended it cleanly (its timeout, a restart),
 * `stopped` when the informer stopped, or the `code` of the error that ended it (`KI_WATCH_EXPIRED` for
 * a 410, `KI_WATCH_STALLED`, `KI_TRANSPORT_ERROR`…).
 */
export type WatchEndReason = 'closed' | 'stopped' | `KI_${string}`;

/**
 * Hooks one informer's list/watch loop calls as things happen, for Prometheus or OpenTelemetry (the
 * `@kubeinformers/opentelemetry` package builds them). All optional; each must be quick and must not
 * throw. Durations are milliseconds on the informer's clock. Store size, health and the time since the
 * last event are read on demand from the informer (`store.size`, `health()`), not pushed.
 * @see client-go `cache.MetricsProvider` (the reflector metrics it once had: lists, list duration,
 * items per list, watches, watch duration)
 */
export interface ReflectorMetrics {
  /** A snapshot (paginated or streaming list) completed: `objects` items in `durationMs`; `relist` for every one after the first. */
  listed?(objects: number, durationMs: number, relist: boolean): void;
  /** A watch connection was established (the server answered 200). */
  watchOpened?(): void;
  /** A watch connection established before ended, after `durationMs`, for `reason`. */
  watchEnded?(reason: WatchEndReason, durationMs: number): void;
  /** A watch line arrived: an object event or a bookmark (`ERROR` lines end the watch instead). */
  watchEvent?(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'): void;
  /** After a failure the loop waits `delayMs` before it tries again. */
  backoff?(delayMs: number): void;
}
