import { afterEach, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';

afterEach(() => {
  vi.restoreAllMocks();
});

it('measures durations on a monotonic scale that a wall-clock step does not move', () => {
  const before = systemClock.now();
  // A wall clock stepped back an hour: Date.now would make the next duration negative.
  vi.spyOn(Date, 'now').mockReturnValue(Date.now() - 3_600_000);
  const after = systemClock.now();
  expect(after).toBeGreaterThanOrEqual(before);
  expect(after - before).toBeLessThan(60_000);
});
