import type { Clock } from '../../time/clock.js';
import type { WatchRequest } from '../list-watch-state.js';
import { BookmarkCadence } from './bookmark-cadence.js';
import { RequestScope } from './request-scope.js';

/** client-go: a watch lasts `minWatchTimeout` (5 min) times a random factor in [1, 2). */
const minWatchTimeoutSeconds = 300;
/** How much longer than a request may legitimately stay silent we wait before calling it dead. */
export const stallGraceMs = 30_000;

/** One watch connection's timeout and the scope that ends it when it stays silent too long. */
export interface WatchLifetime {
  /** What the watch asks the server for (`timeoutSeconds`). */
  readonly timeoutSeconds: number;
  readonly scope: RequestScope;
  /** A bookmark arrived on this connection: the cadence learns from it and the silence allowed follows. */
  bookmarkReceived(): void;
}

/**
 * When a reflector's watches are taken for dead: after the silence their bookmark cadence allows
 * (`BookmarkCadence`, learned across the connections of one loop), never later than the watch's own
 * timeout plus `stallGraceMs`.
 */
export class WatchLiveness {
  private readonly cadence: BookmarkCadence;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    bookmarkPeriodMs: number | undefined,
  ) {
    this.cadence = new BookmarkCadence(bookmarkPeriodMs);
  }

  /** A watch connection for `request` is about to open under `signal`. */
  begin(request: WatchRequest, signal: AbortSignal, path: string): WatchLifetime {
    const timeoutSeconds = minWatchTimeoutSeconds + Math.floor(this.random() * minWatchTimeoutSeconds);
    const fallbackMs = timeoutSeconds * 1000 + stallGraceMs;
    this.cadence.connectionOpened(this.clock.now(), !request.sendInitialEvents);
    const scope = new RequestScope(signal, this.clock, this.cadence.silenceLimitMs(fallbackMs), path);
    return {
      timeoutSeconds,
      scope,
      bookmarkReceived: () => {
        this.cadence.bookmarkReceived(this.clock.now());
        scope.setStallLimit(this.cadence.silenceLimitMs(fallbackMs));
      },
    };
  }

  /** The connection is done with: a stall counts against the cadence, and the scope is released. */
  end(lifetime: WatchLifetime): void {
    if (lifetime.scope.stalled) this.cadence.connectionStalled();
    lifetime.scope.close();
  }
}
