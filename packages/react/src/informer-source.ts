import type {
  Clock,
  ClockTimer,
  InformerHealth as CoreInformerHealth,
  HandlerRegistration,
  KubeObject,
  SharedInformer,
} from '@kubeinformers/core';
import { type InformerHealth, type InformerPhase, idleHealth } from './informer-health.js';

/** A point in an informer's life that React compares by identity: a new one after every flush. */
export interface SourceSnapshot {
  /** Increases with every delivered batch of changes. */
  readonly version: number;
  readonly health: InformerHealth;
}

export interface SourceHost {
  readonly clock: Clock;
  /** How long an informer keeps running after its last subscriber left (StrictMode remounts at once). */
  readonly stopDelayMs: number;
  /** Asks for a flush of every changed source at the next notification slot. */
  markChanged(source: InformerSource<KubeObject, string>): void;
}

/**
 * One informer as React sees it: a store to subscribe to, reference-counted by subscribers. The first
 * subscriber starts the informer (`run`), the last one's leaving stops it after `stopDelayMs` (a
 * StrictMode unmount-remount or a route change that remounts the same view keeps the connection). The
 * cache survives a stop; a later start relists into it. Changes are not announced one by one: the host
 * flushes every changed source at its notification pace, and each flush publishes one new snapshot.
 * Health is core's (`informer.health()`), read at each flush; its change notification and the
 * informer's events ask for one.
 */
export class InformerSource<T extends KubeObject, I extends string> {
  private readonly listeners = new Set<() => void>();
  private snapshot: SourceSnapshot = { version: 0, health: idleHealth };
  private pendingVersion = 0;
  private controller: AbortController | undefined;
  private registration: HandlerRegistration | undefined;
  private stopHealthListener: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopTimer: ClockTimer | undefined;

  constructor(
    readonly informer: SharedInformer<T, I>,
    private readonly host: SourceHost,
  ) {}

  /** `useSyncExternalStore`'s subscribe: the first subscriber starts the informer. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    this.stopTimer?.cancel();
    this.stopTimer = undefined;
    if (this.controller === undefined) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0 || this.stopTimer !== undefined) return;
      this.stopTimer = this.host.clock.setTimeout(() => {
        this.stopTimer = undefined;
        if (this.listeners.size === 0) this.stop();
      }, this.host.stopDelayMs);
    };
  };

  readonly getSnapshot = (): SourceSnapshot => this.snapshot;

  /** Whether a component is subscribed (or the stop delay has not run out). */
  get active(): boolean {
    return this.controller !== undefined;
  }

  /** Publishes the changes gathered since the last flush; returns whether there were any. */
  flush(): boolean {
    const health = this.currentHealth();
    if (this.pendingVersion === this.snapshot.version && health === this.snapshot.health) return false;
    this.snapshot = { version: this.pendingVersion, health };
    for (const listener of [...this.listeners]) listener();
    return true;
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    const changed = () => {
      this.pendingVersion += 1;
      this.markChanged();
    };
    this.registration = this.informer.addEventHandler({
      onAdd: changed,
      onUpdate: changed,
      onDelete: changed,
    });
    this.stopHealthListener = this.informer.onHealthChange(() => this.markChanged());
    this.markChanged();
    // A run still winding down from an earlier stop must end before the next starts (`run` would
    // otherwise hand back the finishing one).
    this.running = this.running.then(() => {
      if (controller.signal.aborted) return;
      return this.informer.run(controller.signal);
    });
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.registration?.remove();
    this.registration = undefined;
    this.stopHealthListener?.();
    this.stopHealthListener = undefined;
    this.markChanged();
  }

  private markChanged(): void {
    this.host.markChanged(this as unknown as InformerSource<KubeObject, string>);
  }

  /** Core's health in the hook's terms; the published object while nothing changed. */
  private currentHealth(): InformerHealth {
    const health = this.informer.health();
    const previous = this.snapshot.health;
    const next: InformerHealth = {
      phase: phaseOf(health, this.controller !== undefined),
      synced: health.synced,
      consecutiveFailures: health.consecutiveFailures,
      lastFailure: health.lastError,
      lastEventAt: health.lastActivityAt,
    };
    const unchanged =
      next.phase === previous.phase &&
      next.synced === previous.synced &&
      next.consecutiveFailures === previous.consecutiveFailures &&
      next.lastFailure === previous.lastFailure &&
      next.lastEventAt === previous.lastEventAt;
    return unchanged ? previous : Object.freeze(next);
  }
}

/**
 * Maps core's loop phase to what a component shows: `idle` without a subscriber (core is `stopped`
 * then, or winding down); `recovering` while backing off or until core counts the cache current again
 * after a failure (a completed relist, or a rewatch the server accepted); otherwise `healthy`
 * once synced, `syncing` before (core's `stopped` between a start and its `run` included).
 */
function phaseOf(health: CoreInformerHealth, subscribed: boolean): InformerPhase {
  if (!subscribed) return 'idle';
  if (health.phase === 'backingOff' || health.consecutiveFailures > 0) return 'recovering';
  return health.synced ? 'healthy' : 'syncing';
}
