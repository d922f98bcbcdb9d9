import { availableParallelism, loadavg } from 'node:os';

/** The one-minute load average per core: timing limits hold only where the page can have a core. */
export function loadPerCore(): number {
  return (loadavg()[0] ?? 0) / availableParallelism();
}

/** The load per core up to which the suite enforces its timing limits (the existing 50 ms check's). */
export const enforcedLoadPerCore = 1.5;

/**
 * Enforces `check` when the machine's load allowed it over the measurement (the worse of `loadBefore` and
 * now); elsewhere prints, loudly, that the limit was not enforced and runs `fallback` (a freeze check).
 */
export function underLoad(loadBefore: number, limit: string, check: () => void, fallback: () => void): void {
  const load = Math.max(loadBefore, loadPerCore());
  if (load <= enforcedLoadPerCore) {
    check();
    return;
  }
  console.warn(`!!! machine load ${load.toFixed(1)} per core: ${limit} was NOT enforced`);
  fallback();
}
