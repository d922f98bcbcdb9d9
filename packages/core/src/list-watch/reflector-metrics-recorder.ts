import type { Clock } from '../time/clock.js';
import type { ReflectorMetrics, WatchEndReason } from './reflector-metrics.js';

/**
 * Calls a reflector's `ReflectorMetrics` hooks, keeping what they need between calls: when the snapshot
 * being taken started, whether one was taken before, and when and why the current watch ended.
 */
export class ReflectorMetricsRecorder {
  private listStartedAt = 0;
  private listedBefore = false;
  private watchOpenedAt: number | undefined;
  private watchEndReason: WatchEndReason | undefined;

  constructor(
    private readonly metrics: ReflectorMetrics | undefined,
    private readonly clock: Clock,
  ) {}

  /** A snapshot (first list page or streaming list) was asked for. */
  snapshotStarted(): void {
    this.listStartedAt = this.clock.now();
  }

  snapshotTaken(objects: number): void {
    this.metrics?.listed?.(objects, this.clock.now() - this.listStartedAt, this.listedBefore);
    this.listedBefore = true;
  }

  watchOpened(): void {
    this.watchOpenedAt = this.clock.now();
    this.watchEndReason = undefined;
    this.metrics?.watchOpened?.();
  }

  /** The watch failed with `reason`; reported when the connection ends. */
  watchFailed(reason: WatchEndReason): void {
    this.watchEndReason = reason;
  }

  /** A watch attempt is over; only one that opened is reported. `stopped`: the reflector was stopping. */
  watchEnded(stopped: boolean): void {
    if (this.watchOpenedAt === undefined) return;
    const reason = this.watchEndReason ?? (stopped ? 'stopped' : 'closed');
    this.metrics?.watchEnded?.(reason, this.clock.now() - this.watchOpenedAt);
    this.watchOpenedAt = undefined;
  }

  watchEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'): void {
    this.metrics?.watchEvent?.(type);
  }

  backoff(delayMs: number): void {
    this.metrics?.backoff?.(delayMs);
  }
}
