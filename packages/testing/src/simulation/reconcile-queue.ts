import type { Clock, ClockTimer } from '@kubeinformers/core';

const retryDelayMs = 1_000;

/**
 * A controller's work queue, on the server's clock: keys added while a batch is pending are merged
 * (each is reconciled once per batch, with the state of that moment), and `after` requeues a key once a
 * delay has passed (a readiness delay, a grace period). Reconciling never runs inside a store write: a
 * write's listeners only enqueue, so watchers see events in resourceVersion order.
 */
export class ReconcileQueue {
  private readonly pending = new Set<string>();
  private readonly delayed = new Map<string, { due: number; timer: ClockTimer }>();
  private flush: ClockTimer | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly reconcile: (key: string) => void,
    private readonly onError: (key: string, error: unknown) => void,
    /** Keys per batch; the rest wait for the next batch, so one burst cannot starve the event loop. */
    private readonly batchSize = 2_000,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.flush ??= this.clock.setTimeout(() => this.run(), 0);
  }

  /** Reconciles `key` in `delayMs` (an earlier request for it wins). */
  after(key: string, delayMs: number): void {
    if (this.stopped || !Number.isFinite(delayMs)) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = this.clock.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing !== undefined && existing.due <= due) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, delayMs);
    this.delayed.set(key, { due, timer });
  }

  stop(): void {
    this.stopped = true;
    this.flush?.cancel();
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    this.pending.clear();
  }

  private run(): void {
    this.flush = undefined;
    let budget = this.batchSize;
    for (const key of this.pending) {
      if (budget-- <= 0 || this.stopped) break;
      this.pending.delete(key);
      try {
        this.reconcile(key);
      } catch (error) {
        this.onError(key, error);
        // A write lost a race with a client (a conflict, a namespace being deleted): retry shortly, as
        // the real controllers requeue with backoff.
        this.after(key, retryDelayMs);
      }
    }
    if (this.pending.size > 0 && !this.stopped) this.flush = this.clock.setTimeout(() => this.run(), 0);
  }
}
