/**
 * Settles with `call`, or rejects with the signal's reason when `signal` aborts first, even when the
 * callee ignores the signal: what leadership or ownership believes must be bounded by its own timers,
 * never by an implementation's promise.
 */
export function boundedBySignal<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
