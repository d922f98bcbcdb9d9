import type { ManualClock } from '../time/manual-clock.js';

/**
 * Lets asynchronous work run (one real macrotask turn drains every pending microtask of an in-memory
 * transport) until `done()` holds, moving `clock` forward by `stepMs` between checks when given, so that
 * backoffs and timeouts elapse. Bounded: throws after `maxTurns` turns.
 */
export async function settle(
  done: () => boolean,
  options: { readonly clock?: ManualClock; readonly stepMs?: number; readonly maxTurns?: number } = {},
): Promise<void> {
  const { clock, stepMs = 1000, maxTurns = 500 } = options;
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (done()) return;
    clock?.advance(stepMs);
  }
  throw new Error(`condition not reached after ${maxTurns} turns`);
}
