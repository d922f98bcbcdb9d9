import type { Clock, ClockTimer } from './clock.js';

interface ScheduledTimer {
  readonly due: number;
  readonly sequence: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to, for deterministic tests of anything that waits: backoff, resync,
 * stall detection. Timers fire in due order (ties in scheduling order) as `advance` passes them.
 */
export class ManualClock implements Clock {
  private current: number;
  private sequence = 0;
  private timers: ScheduledTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    const timer: ScheduledTimer = {
      due: this.current + Math.max(0, delayMs),
      sequence: this.sequence++,
      callback,
      cancelled: false,
    };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.timers.filter((timer) => !timer.cancelled).length;
  }

  /** Delay until the next pending timer fires, or `undefined` when none is pending. */
  get nextTimerDelay(): number | undefined {
    const next = this.nextTimer();
    return next === undefined ? undefined : next.due - this.current;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way (including timers those
   * callbacks schedule), each at its own due time.
   */
  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.nextTimer(); next !== undefined && next.due <= target; next = this.nextTimer()) {
      this.current = next.due;
      next.cancelled = true;
      next.callback();
    }
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    this.current = target;
  }

  /** Fires the next pending timer, moving time to it; returns false when none is pending. */
  runNext(): boolean {
    const next = this.nextTimer();
    if (next === undefined) return false;
    this.advance(next.due - this.current);
    return true;
  }

  private nextTimer(): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.timers) {
      if (timer.cancelled) continue;
      if (
        best === undefined ||
        timer.due < best.due ||
        (timer.due === best.due && timer.sequence < best.sequence)
      ) {
        best = timer;
      }
    }
    return best;
  }
}
