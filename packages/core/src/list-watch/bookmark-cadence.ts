/**
 * How often a watch's server sends bookmarks, learned from the bookmarks themselves, and the silence
 * after which a watch is taken for dead because of it.
 *
 * With `allowWatchBookmarks` the API server sends a bookmark to every watch periodically (every minute
 * from its watch cache), whether or not anything changed. A watch that has proven such a cadence and then
 * stays silent for `silenceFactor` times the longest interval seen, plus `graceMs`, has lost its
 * connection (half-open TCP, a NAT or load balancer that dropped its state, a hung proxy): about 3.5 s at
 * 1 s bookmarks, 2.5 min at 60 s. Intervals are measured between bookmarks of one connection (a reconnect
 * is not a gap); the longest is kept across the connections of one loop, so a replacement watch is
 * held to the cadence its predecessors proved. Each watch in a row that stalls without a bookmark of its
 * own doubles the silence allowed (up to the fallback), in case the server stopped sending bookmarks:
 * black holes in a row are still found in seconds, and a server without bookmarks costs a handful of
 * reconnects before the fallback applies. A bookmark restores the bound.
 */
export class BookmarkCadence {
  /** Bookmarks may come later than their period: timers, a busy server, scheduling. */
  static readonly silenceFactor = 2.5;
  static readonly graceMs = 1_000;

  private longestIntervalMs: number | undefined;
  private lastBookmarkAt: number | undefined;
  private bookmarksOnConnection = 0;
  private stallsWithoutBookmark = 0;

  /** The longest interval seen between two bookmarks of one connection; `undefined` until one. */
  get intervalMs(): number | undefined {
    return this.longestIntervalMs;
  }

  /** A new connection: its first bookmark starts a new interval. */
  connectionOpened(): void {
    this.lastBookmarkAt = undefined;
    this.bookmarksOnConnection = 0;
  }

  bookmarkReceived(now: number): void {
    if (this.lastBookmarkAt !== undefined) {
      const interval = now - this.lastBookmarkAt;
      if (this.longestIntervalMs === undefined || interval > this.longestIntervalMs)
        this.longestIntervalMs = interval;
    }
    this.lastBookmarkAt = now;
    this.bookmarksOnConnection += 1;
    this.stallsWithoutBookmark = 0;
  }

  /** The connection was taken for dead. One that never bookmarked casts doubt on the learned cadence. */
  connectionStalled(): void {
    if (this.bookmarksOnConnection === 0 && this.longestIntervalMs !== undefined)
      this.stallsWithoutBookmark += 1;
  }

  /** The silence a watch is allowed: from the cadence when one is known, never more than `fallbackMs`. */
  silenceLimitMs(fallbackMs: number): number {
    if (this.longestIntervalMs === undefined) return fallbackMs;
    const limit = Math.ceil(BookmarkCadence.silenceFactor * this.longestIntervalMs) + BookmarkCadence.graceMs;
    // Capping the exponent keeps 2 ** n finite however many stalls come in a row.
    return Math.min(fallbackMs, limit * 2 ** Math.min(this.stallsWithoutBookmark, 32));
  }
}
