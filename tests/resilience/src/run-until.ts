import type { ManualClock } from '@kubeinformers/core';

/**
 * Runs the simulation until `done()` holds (checked each time everything ready has run, that is, before
 * each timer) or `until` on the clock; returns whether `done()` held. Each step lets every piece of
 * ready work run (one turn of the event loop: the transport is in memory, so all of it is promise
 * continuations), then fires the next timer.
 */
export async function runUntil(clock: ManualClock, done: () => boolean, until: number): Promise<boolean> {
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done()) return true;
    const delay = clock.nextTimerDelay;
    if (delay === undefined || clock.now() + delay > until) {
      clock.advance(Math.max(0, until - clock.now()));
      await new Promise((resolve) => setImmediate(resolve));
      return done();
    }
    clock.advance(delay);
  }
}
