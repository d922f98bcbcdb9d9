import type { Clock, ClockTimer } from '../time/clock.js';

/**
 * A clock running at `rate` times the speed of `base`, for simulating machines whose clocks tick at
 * slightly different rates (quartz drift, a VM's clock): `rate` 1.1 measures 11 s where 10 s passed.
 */
export class DriftingClock implements Clock {
  constructor(
    private readonly base: Clock,
    private readonly rate: number,
  ) {}

  now(): number {
    return this.base.now() * this.rate;
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    return this.base.setTimeout(callback, delayMs / this.rate);
  }
}
