import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { InformerHealth, InformerPhase } from '../informer/informer-health.js';

/**
 * The live record behind `InformerHealth`: the list/watch loop writes it as it goes (activity is one
 * field write, cheap enough for every event), readers take immutable snapshots, and listeners hear
 * of every change except activity (which would mean a call per event; read `lastActivityAt` on demand).
 */
export class HealthRecorder {
  private phase: InformerPhase = 'stopped';
  private since: number;
  private retryAt: number | undefined;
  private synced = false;
  private lastActivityAt: number | undefined;
  private consecutiveFailures = 0;
  private lastError: KubeInformersError | undefined;
  private shardFiltering: InformerHealth['sharding'];
  private snapshot: InformerHealth | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(now: number) {
    this.since = now;
  }

  enter(phase: InformerPhase, now: number, retryAt?: number): void {
    if (phase === this.phase && retryAt === this.retryAt) return;
    this.phase = phase;
    this.since = now;
    this.retryAt = retryAt;
    this.changed();
  }

  /** An event, a bookmark, or a completed snapshot. */
  activity(now: number): void {
    this.lastActivityAt = now;
  }

  /** The loop made progress: the failures in a row are over. */
  progressed(): void {
    if (this.consecutiveFailures === 0) return;
    this.consecutiveFailures = 0;
    this.changed();
  }

  failed(error: KubeInformersError): void {
    this.consecutiveFailures += 1;
    this.lastError = error;
    this.changed();
  }

  /** Who applied the shard selector to the last snapshot: the server, or the informer alone. */
  sharding(by: 'server' | 'client'): void {
    if (this.shardFiltering === by) return;
    this.shardFiltering = by;
    this.changed();
  }

  markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    this.changed();
  }

  /** The same object until something changes (what `useSyncExternalStore` and memoization need). */
  health(): InformerHealth {
    const snapshot = this.snapshot;
    if (snapshot !== undefined && snapshot.lastActivityAt === this.lastActivityAt) return snapshot;
    this.snapshot = Object.freeze({
      phase: this.phase,
      since: this.since,
      retryAt: this.retryAt,
      synced: this.synced,
      lastActivityAt: this.lastActivityAt,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      sharding: this.shardFiltering,
    });
    return this.snapshot;
  }

  /** `listener` runs after every change but activity; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private changed(): void {
    this.snapshot = undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A failing listener must not break the loop that reports to it, nor the other listeners.
      }
    }
  }
}
