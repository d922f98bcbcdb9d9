import type { Clock, ClockTimer } from '../../time/clock.js';

/**
 * Calls `onStall` once when no activity was recorded for `limitMs`. One timer per quiet period, not
 * one per chunk: activity only records the time, and the timer re-arms itself for what is left.
 */
export class StallGuard {
  private lastActivity: number;
  private timer: ClockTimer | undefined;
  private limit: number;

  constructor(
    private readonly clock: Clock,
    limitMs: number,
    private readonly onStall: (silentMs: number) => void,
  ) {
    this.limit = limitMs;
    this.lastActivity = clock.now();
    this.arm(limitMs);
  }

  /** How long a silence ends the request. */
  get limitMs(): number {
    return this.limit;
  }

  /** Bytes arrived. */
  touch(): void {
    this.lastActivity = this.clock.now();
  }

  /**
   * Changes the silence allowed from now on, counted from the last activity (a watch that learned how
   * often its server speaks narrows it). A stopped or fired guard stays so.
   */
  setLimit(limitMs: number): void {
    if (this.timer === undefined || limitMs === this.limit) return;
    const shorter = limitMs < this.limit;
    this.limit = limitMs;
    // A longer limit needs nothing: the armed timer re-arms for what is left when it fires.
    if (shorter) {
      this.timer.cancel();
      this.arm(Math.max(0, limitMs - (this.clock.now() - this.lastActivity)));
    }
  }

  /** Idempotent. */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      const silentMs = this.clock.now() - this.lastActivity;
      if (silentMs >= this.limit) {
        this.timer = undefined;
        this.onStall(silentMs);
      } else {
        this.arm(this.limit - silentMs);
      }
    }, delayMs);
  }
}
