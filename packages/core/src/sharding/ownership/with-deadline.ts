import { boundedBySignal } from '../../time/bounded-by-signal.js';
import type { Clock } from '../../time/clock.js';

/**
 * Runs `call` with a signal that aborts after `deadlineMs` or when `stop` aborts, and settles no later
 * than that whatever the callee does. `signal.aborted` afterwards tells a failure from a cut-off.
 */
export async function withDeadline<T>(
  clock: Clock,
  deadlineMs: number,
  stop: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const attempt = new AbortController();
  const timer = clock.setTimeout(
    () => attempt.abort(new Error(`no answer within ${deadlineMs} ms`)),
    deadlineMs,
  );
  const onStop = () => attempt.abort(stop?.reason);
  stop?.addEventListener('abort', onStop, { once: true });
  try {
    return await boundedBySignal(call(attempt.signal), attempt.signal);
  } finally {
    timer.cancel();
    stop?.removeEventListener('abort', onStop);
  }
}
