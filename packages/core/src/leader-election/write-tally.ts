import type { Clock } from '../time/clock.js';

/** Counts admitted writes still on the wire, so a holder can wait for them before it hands over. */
export class WriteTally {
  private inFlight = 0;
  private readonly idle = new Set<() => void>();

  get count(): number {
    return this.inFlight;
  }

  /** Counts one write; the returned function uncounts it (once, however often it is called). */
  begin(): () => void {
    this.inFlight += 1;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.inFlight -= 1;
      if (this.inFlight > 0) return;
      const waiting = [...this.idle];
      this.idle.clear();
      for (const wake of waiting) wake();
    };
  }

  /** True once no write is in flight, false when `timeoutMs` passed first. */
  settled(clock: Clock, timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        timer.cancel();
        resolve(true);
      };
      const timer = clock.setTimeout(() => {
        this.idle.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.idle.add(wake);
    });
  }
}
