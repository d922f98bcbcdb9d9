import { InvalidOptionError } from '../../errors/invalid-option-error.js';

/**
 * How often a watch's server sends bookmarks, learned from the bookmarks themselves, and the silence
 * after which a watch is taken for dead because of it.
 *
 * With `allowWatchBookmarks` the API server sends a bookmark to every watch periodically (its watch
 * cache schedules each watch's next one a minute ahead: `bookmarkFrequency`), whether or not anything
 * changed. A watch that stays silent for `silenceFactor` times the interval, plus `graceMs`, has lost
 * its connection (half-open TCP, a NAT or load balancer that dropped its state, a hung proxy): about
 * 3.5 s at 1 s bookmarks, 2.5 min at 60 s.
 *
 * Until a watch has shown a cadence, the interval is the period a real API server bookmarks at
 * (`expectedPeriodMs`, 60 s unless the user says otherwise): 151 s of silence, not the watch timeout.
 * Intervals are measured from the opening of a watch to its first bookmark (the API server schedules it
 * one period after the open; a first bookmark under a second after the open says nothing about the
 * period and is not counted), and between bookmarks of one connection (a reconnect is not a gap). The
 * longest is kept across the connections of one loop, so a replacement watch is held to the cadence its
 * predecessors proved.
 *
 * Each watch in a row that stalls without a bookmark of its own doubles the silence allowed (up to the
 * fallback, the watch timeout plus a grace): black holes in a row are still found soon, and a server
 * that sends no bookmarks costs a handful of reconnects before the fallback applies. A bookmark restores
 * the bound.
 */
export class BookmarkCadence {
  /** Bookmarks may come later than their period: timers, a busy server, scheduling. */
  static readonly silenceFactor = 2.5;
  static readonly graceMs = 1_000;
  /** The API server's `bookmarkFrequency`: each watch gets a bookmark about once a minute. */
  static readonly defaultPeriodMs = 60_000;
  /** A first bookmark sooner than this after the open is not a period (a server bookmarking all at once). */
  static readonly shortestFirstIntervalMs = 1_000;

  private longestIntervalMs: number | undefined;
  private openedAt: number | undefined;
  private lastBookmarkAt: number | undefined;
  private bookmarksOnConnection = 0;
  private stallsWithoutBookmark = 0;

  /** `expectedPeriodMs`: the server's bookmark period, assumed until a watch shows its own. */
  constructor(private readonly expectedPeriodMs = BookmarkCadence.defaultPeriodMs) {
    requireBookmarkPeriod(expectedPeriodMs);
  }

  /** The longest interval seen between an open or a bookmark and a bookmark; `undefined` until one. */
  get intervalMs(): number | undefined {
    return this.longestIntervalMs;
  }

  /**
   * A new connection, opened at `now`. `periodicFirstBookmark` false: its first bookmark is not on the
   * period (a streaming list ends with one as soon as the initial events are sent).
   */
  connectionOpened(now: number, periodicFirstBookmark = true): void {
    this.openedAt = periodicFirstBookmark ? now : undefined;
    this.lastBookmarkAt = undefined;
    this.bookmarksOnConnection = 0;
  }

  bookmarkReceived(now: number): void {
    if (this.lastBookmarkAt !== undefined) this.learn(now - this.lastBookmarkAt);
    else if (this.openedAt !== undefined && now - this.openedAt >= BookmarkCadence.shortestFirstIntervalMs)
      this.learn(now - this.openedAt);
    this.lastBookmarkAt = now;
    this.bookmarksOnConnection += 1;
    this.stallsWithoutBookmark = 0;
  }

  /** The connection was taken for dead. One that never bookmarked casts doubt on the bound it had. */
  connectionStalled(): void {
    if (this.bookmarksOnConnection === 0) this.stallsWithoutBookmark += 1;
  }

  /** The silence a watch is allowed: from the cadence (learned, or expected), never more than `fallbackMs`. */
  silenceLimitMs(fallbackMs: number): number {
    const intervalMs = this.longestIntervalMs ?? this.expectedPeriodMs;
    const limit = Math.ceil(BookmarkCadence.silenceFactor * intervalMs) + BookmarkCadence.graceMs;
    // Capping the exponent keeps 2 ** n finite however many stalls come in a row.
    return Math.min(fallbackMs, limit * 2 ** Math.min(this.stallsWithoutBookmark, 32));
  }

  private learn(intervalMs: number): void {
    if (this.longestIntervalMs === undefined || intervalMs > this.longestIntervalMs)
      this.longestIntervalMs = intervalMs;
  }
}

/** Throws `InvalidOptionError` unless `periodMs` is a usable `bookmarkPeriodMs`. */
export function requireBookmarkPeriod(periodMs: number): void {
  if (!(periodMs > 0 && Number.isFinite(periodMs))) {
    throw new InvalidOptionError('bookmarkPeriodMs', 'must be a finite number of milliseconds above 0');
  }
}
