import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../time/manual-clock.js';
import { RetryTimer } from './retry-timer.js';

describe('RetryTimer', () => {
  it('waits its delay, and a shortening cuts the wait in progress but never lengthens it', async () => {
    const clock = new ManualClock();
    const timer = new RetryTimer(clock);
    let done = false;
    const waited = timer.wait(5_000, new AbortController().signal).then(() => {
      done = true;
    });
    expect(timer.dueAt).toBe(5_000);
    clock.advance(1_000);
    expect(timer.shorten(6_000)).toBe(false);
    expect(timer.shorten(500)).toBe(true);
    expect(timer.dueAt).toBe(1_500);
    clock.advance(499);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await waited;
    expect(clock.pendingTimers).toBe(0);
    expect(timer.dueAt).toBeUndefined();
  });

  it('applies a shortening between the decision to wait and the wait, and none between waits', async () => {
    const clock = new ManualClock();
    const timer = new RetryTimer(clock);
    const signal = new AbortController().signal;
    // After a wait ended, evidence concerns no later wait (a 429's Retry-After, say).
    expect(timer.shorten(100)).toBe(false);
    timer.prepare();
    expect(timer.shorten(300)).toBe(true);
    const waited = timer.wait(5_000, signal);
    expect(timer.dueAt).toBe(300);
    clock.advance(300);
    await waited;
    expect(timer.shorten(100)).toBe(false);
    const next = timer.wait(2_000, signal);
    expect(timer.dueAt).toBe(2_300);
    clock.advance(2_000);
    await next;
  });

  it('rejects with the reason and leaves no timer when the signal aborts', async () => {
    const clock = new ManualClock();
    const timer = new RetryTimer(clock);
    const controller = new AbortController();
    const waited = timer.wait(5_000, controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waited).rejects.toThrow('stopping');
    expect(clock.pendingTimers).toBe(0);
    await expect(timer.wait(1, controller.signal)).rejects.toThrow('stopping');
  });
});
