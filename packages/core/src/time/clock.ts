/**
 * Time, injectable. Core never calls `Date.now` or `setTimeout` directly, so tests drive time with a
 * `ManualClock` and never sleep.
 */
export interface Clock {
  /**
   * Milliseconds on a monotonic scale: only differences are meaningful, and they never go backwards when
   * the wall clock is stepped (NTP, a suspended laptop, a manual change). Not a date.
   */
  now(): number;
  /** Schedules `callback` once after `delayMs`; the returned handle cancels it. */
  setTimeout(callback: () => void, delayMs: number): ClockTimer;
}

export interface ClockTimer {
  /** Idempotent. */
  cancel(): void;
}

/**
 * The real clock: `performance.now()` (monotonic, a Web standard on every runtime core supports) and the
 * global timers. A wall-clock step would otherwise shorten or stretch backoff resets and stall limits.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(handle) };
  },
};

/**
 * Resolves after `delayMs` on `clock`, or rejects with the signal's reason when `signal` aborts first;
 * the timer is cancelled either way, so nothing keeps the process alive.
 */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal.reason);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
