import type { Clock, ClockTimer } from '../time/clock.js';

/**
 * The wait of a backoff, which evidence that the server is reachable again can cut short (`shorten`).
 * One wait at a time; the timer is cancelled when the signal aborts, so nothing outlives the loop.
 */
export class RetryTimer {
  private timer: ClockTimer | undefined;
  private due = 0;
  private done: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  /** Resolves after `delayMs` (or sooner, if shortened); rejects with the signal's reason on abort. */
  wait(delayMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        this.release();
        reject(signal.reason);
      };
      this.done = () => {
        signal.removeEventListener('abort', onAbort);
        this.release();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.arm(delayMs);
    });
  }

  /**
   * The wait in progress ends `delayMs` from now, unless it ends sooner anyway; returns whether it was
   * shortened.
   */
  shorten(delayMs: number): boolean {
    if (this.done === undefined || this.clock.now() + delayMs >= this.due) return false;
    this.timer?.cancel();
    this.arm(delayMs);
    return true;
  }

  private arm(delayMs: number): void {
    this.due = this.clock.now() + delayMs;
    this.timer = this.clock.setTimeout(() => this.done?.(), delayMs);
  }

  private release(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.done = undefined;
  }
}
