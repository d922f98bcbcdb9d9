import type { Clock, ClockTimer } from '../time/clock.js';

/**
 * One process's view of a shared clock, for simulating a stopped process (SIGSTOP, a long GC pause):
 * while paused, its timers that fall due are held and fire late, in due order, on `resume()`. Time
 * itself keeps moving, as it does for a stopped process.
 */
export class PausableClock implements Clock {
  private paused = false;
  private held: (() => void)[] = [];

  constructor(private readonly base: Clock) {}

  get isPaused(): boolean {
    return this.paused;
  }

  now(): number {
    return this.base.now();
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    let cancelled = false;
    const timer = this.base.setTimeout(() => {
      if (cancelled) return;
      if (this.paused) this.held.push(() => !cancelled && callback());
      else callback();
    }, delayMs);
    return {
      cancel: () => {
        cancelled = true;
        timer.cancel();
      },
    };
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const callback of held) callback();
  }
}
