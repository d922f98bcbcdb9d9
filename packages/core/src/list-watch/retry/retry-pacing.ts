import type { Clock } from '../../time/clock.js';
import type { HealthRecorder } from '../health-recorder.js';
import type { ReflectorMetricsRecorder } from '../reflector-metrics-recorder.js';
import type { BackoffPolicy, BackoffState } from './backoff.js';
import { RetryTimer } from './retry-timer.js';

/** Informers retrying because a sibling reached the server spread their retries over this much time. */
export const siblingRetrySpreadMs = 1_000;

/**
 * When a reflector tries again after a failure: after the backoff policy's next step, or the
 * `Retry-After` the server asked for if longer. The backoff grows only while failures come in a row,
 * and a sibling reaching the server cuts the wait short.
 */
export class RetryPacing {
  private state: BackoffState | undefined;
  private readonly timer: RetryTimer;

  constructor(
    private readonly clock: Clock,
    private readonly policy: BackoffPolicy,
    private readonly random: () => number,
    private readonly health: HealthRecorder,
    private readonly metrics: ReflectorMetricsRecorder,
  ) {
    this.timer = new RetryTimer(clock);
  }

  /** There were failures since the last progress. */
  get failing(): boolean {
    return this.state !== undefined;
  }

  /** The loop will wait: see `RetryTimer.prepare`. */
  prepare(): void {
    this.timer.prepare();
  }

  /** The next step of the backoff; rejects with the signal's reason on abort. */
  wait(retryAfterSeconds: number | undefined, signal: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const step = this.policy.next(this.state, now, this.random);
    this.state = step.state;
    const delayMs = Math.max(step.delayMs, (retryAfterSeconds ?? 0) * 1000);
    const waited = this.timer.wait(delayMs, signal);
    this.health.enter('backingOff', now, this.timer.dueAt ?? now + delayMs);
    this.metrics.backoff(delayMs);
    return waited;
  }

  /** Progress: only failures in a row grow the backoff (client-go: it is for failing to connect). */
  reset(): void {
    this.state = undefined;
  }

  /** A sibling reached the server: the backoff starts over, and the wait ends within a random 0–1 s. */
  hurry(): void {
    this.state = undefined;
    const now = this.clock.now();
    const delayMs = Math.floor(this.random() * siblingRetrySpreadMs);
    if (this.timer.shorten(delayMs)) this.health.enter('backingOff', now, now + delayMs);
  }
}
