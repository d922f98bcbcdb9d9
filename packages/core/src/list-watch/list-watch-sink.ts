/**
 * What the list/watch loop (the reflector) writes into. The informer implements it over its store; tests
 * implement it to observe the loop. The loop calls it from one logical thread, in stream order.
 */
export interface ListWatchSink<T> {
  /**
   * A complete, consistent snapshot of the collection at `resourceVersion` (an initial list, a relist, or
   * the end of a streaming initial list). Replaces everything held, atomically: objects not in `objects`
   * are gone (delivered as deletes whose final state is unknown).
   */
  replace(objects: readonly T[], resourceVersion: string): void;
  /** One watch event, in order; `resourceVersion` is the object's, now the last one seen. */
  apply(event: WatchChange<T>, resourceVersion: string): void;
  /**
   * Optional: called with each object of a list page as the page arrives; the snapshot holds what it
   * returns, and `replace` receives that. A store that keeps text describes the object here, so that the
   * parsed page can die young instead of living until the whole list has arrived.
   */
  prepare?(object: T): T;
  /** A bookmark: nothing changed, but the stream is current up to `resourceVersion`. */
  bookmark(resourceVersion: string): void;
}

export interface WatchChange<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: T;
}
