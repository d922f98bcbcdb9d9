import type { Clock, ClockTimer } from '../time/clock.js';

/**
 * Calls `onStall` once when no activity was recorded for `limitMs`. One timer per quiet period, not
 * one per chunk: activity only records the time, and the timer re-arms itself for what is left.
 */
export class StallGuard {
  private lastActivity: number;
  private timer: ClockTimer | undefined;

  constructor(
    private readonly clock: Clock,
    readonly limitMs: number,
    private readonly onStall: (silentMs: number) => void,
  ) {
    this.lastActivity = clock.now();
    this.arm(limitMs);
  }

  /** Bytes arrived. */
  touch(): void {
    this.lastActivity = this.clock.now();
  }

  /** Idempotent. */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => {
      const silentMs = this.clock.now() - this.lastActivity;
      if (silentMs >= this.limitMs) {
        this.timer = undefined;
        this.onStall(silentMs);
      } else {
        this.arm(this.limitMs - silentMs);
      }
    }, delayMs);
  }
}
