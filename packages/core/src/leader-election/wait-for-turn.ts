import type { Clock } from '../time/clock.js';
import { sleep } from '../time/clock.js';
import type { LeaseLock, LeaseState } from './lease-lock.js';

/**
 * A candidate's wait between attempts: `delayMs`, or less when `lock` can tell that the lease changed
 * hands since `observed` (a release is then taken at once rather than at the next poll). False when
 * `signal` aborted.
 */
export async function waitForTurn(
  clock: Clock,
  lock: LeaseLock,
  observed: LeaseState | undefined,
  delayMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  if (signal.aborted) return false;
  const waiting = new AbortController();
  const onStop = () => waiting.abort(signal.reason);
  signal.addEventListener('abort', onStop, { once: true });
  const waits: Promise<void>[] = [sleep(clock, delayMs, waiting.signal)];
  if (lock.waitForHolderChange !== undefined) {
    // A lock that cannot tell rejects: keep the poll's timer, never spin.
    const change = lock.waitForHolderChange(observed, waiting.signal);
    waits.push(change.catch(() => new Promise<void>(() => {})));
  }
  try {
    await Promise.race(waits);
    return !signal.aborted;
  } catch {
    return false;
  } finally {
    signal.removeEventListener('abort', onStop);
    waiting.abort();
  }
}
