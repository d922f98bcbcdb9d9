import type { Clock } from '@kubeinformers/core';

/**
 * A clock that runs `speedup` times faster than real time. Informers keep their production timing
 * (backoff 800 ms → 30 s, `Retry-After`, watch timeouts and stall detection) scaled down, so a test over
 * real sockets exercises the real schedule in milliseconds instead of minutes.
 */
export function scaledClock(speedup: number): Clock {
  const origin = performance.now();
  return {
    now: () => (performance.now() - origin) * speedup,
    setTimeout(callback, delayMs) {
      const handle = setTimeout(callback, delayMs / speedup);
      return { cancel: () => clearTimeout(handle) };
    },
  };
}
