import type { Clock, ClockTimer } from '../../time/clock.js';

/**
 * The wait of a backoff, which evidence that the server is reachable again can cut short (`shorten`).
 * One wait at a time; the timer is cancelled when the signal aborts, so nothing outlives the loop.
 */
export class RetryTimer {
  private timer: ClockTimer | undefined;
  private due = 0;
  private done: (() => void) | undefined;
  /** The loop decided to wait (`prepare`) and the wait has not begun. */
  private prepared = false;
  /** A shortening that came while prepared. */
  private pendingDelayMs: number | undefined;

  constructor(private readonly clock: Clock) {}

  /** When the wait in progress ends (on the clock); `undefined` when none is. */
  get dueAt(): number | undefined {
    return this.done === undefined ? undefined : this.due;
  }

  /** The loop will wait: a shortening from now on applies to that wait, even before it begins. */
  prepare(): void {
    this.prepared = true;
  }

  /** Resolves after `delayMs` (or sooner, if shortened); rejects with the signal's reason on abort. */
  wait(delayMs: number, signal: AbortSignal): Promise<void> {
    const shortened = this.pendingDelayMs;
    this.prepared = false;
    this.pendingDelayMs = undefined;
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
      this.arm(shortened === undefined ? delayMs : Math.min(delayMs, shortened));
    });
  }

  /**
   * The wait in progress, or the prepared one, ends `delayMs` from now unless it ends sooner anyway;
   * returns whether that shortened it. Nothing happens between waits (a wait that just ended is not
   * followed by one that the evidence could concern).
   */
  shorten(delayMs: number): boolean {
    if (this.done === undefined) {
      if (!this.prepared) return false;
      this.pendingDelayMs = Math.min(delayMs, this.pendingDelayMs ?? delayMs);
      return true;
    }
    if (this.clock.now() + delayMs >= this.due) return false;
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
