/**
 * Time, injectable. Core never calls `Date.now` or `setTimeout` directly, so tests drive time with a
 * `ManualClock` and never sleep.
 */
export interface Clock {
  /** Milliseconds on a monotonic-enough scale; only differences are meaningful. */
  now(): number;
  /** Schedules `callback` once after `delayMs`; the returned handle cancels it. */
  setTimeout(callback: () => void, delayMs: number): ClockTimer;
}

export interface ClockTimer {
  /** Idempotent. */
  cancel(): void;
}

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
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
