import type { Clock } from '../../time/clock.js';

/**
 * How the ownership loop waits: for a delay, or less when something asks it to look again (the view
 * changed, a drain ended, the guard lapsed). A wake while the loop is busy is remembered, so the next
 * wait returns at once and nothing asked for is missed.
 */
export class Wakeup {
  private requested = false;
  private waiter: (() => void) | undefined;

  wake(): void {
    this.requested = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Resolves after `delayMs`, on a wake, or when `signal` aborts; never rejects. */
  wait(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
    if (this.requested || signal?.aborted) {
      this.requested = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const finish = () => {
        timer.cancel();
        signal?.removeEventListener('abort', finish);
        this.waiter = undefined;
        this.requested = false;
        resolve();
      };
      const timer = clock.setTimeout(finish, delayMs);
      signal?.addEventListener('abort', finish, { once: true });
      this.waiter = finish;
    });
  }
}
