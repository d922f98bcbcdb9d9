import type { Clock, ClockTimer, HandlerRegistration, KubeObject, SharedInformer } from '@kubeinformers/core';
import { type InformerHealth, idleHealth, type RequestFailure } from './informer-health.js';
import type { RequestOutcome } from './observed-transport.js';

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
 */
export class InformerSource<T extends KubeObject, I extends string> {
  private readonly listeners = new Set<() => void>();
  private snapshot: SourceSnapshot = { version: 0, health: idleHealth };
  private pendingHealth: InformerHealth = idleHealth;
  private pendingVersion = 0;
  private controller: AbortController | undefined;
  private registration: HandlerRegistration | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopTimer: ClockTimer | undefined;

  constructor(
    readonly informer: SharedInformer<T, I>,
    /** The API path the informer lists and watches, to attribute transport outcomes. */
    readonly path: string,
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
    if (this.pendingVersion === this.snapshot.version && this.pendingHealth === this.snapshot.health) {
      return false;
    }
    this.snapshot = { version: this.pendingVersion, health: this.pendingHealth };
    for (const listener of [...this.listeners]) listener();
    return true;
  }

  /** A request of this informer reached a result below core. */
  observe(outcome: RequestOutcome): void {
    if (this.controller === undefined || this.controller.signal.aborted) return;
    const health = this.pendingHealth;
    if (outcome.type === 'responded' && outcome.status >= 200 && outcome.status < 300) {
      this.setHealth({ consecutiveFailures: 0, recovering: false });
      return;
    }
    const failure: RequestFailure =
      outcome.type === 'responded'
        ? {
            at: this.host.clock.now(),
            status: outcome.status,
            message: `the server answered ${outcome.status}`,
          }
        : {
            at: this.host.clock.now(),
            message:
              outcome.type === 'broken' && outcome.aborted
                ? 'the watch went silent and was given up'
                : messageOf(outcome.error),
          };
    this.setHealth({
      consecutiveFailures: health.consecutiveFailures + 1,
      recovering: true,
      lastFailure: failure,
    });
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    const changed = () => {
      this.pendingVersion += 1;
      this.setHealth({ lastEventAt: this.host.clock.now() });
      // The version alone changed when the clock did not move.
      this.host.markChanged(this as unknown as InformerSource<KubeObject, string>);
    };
    this.registration = this.informer.addEventHandler({
      onAdd: changed,
      onUpdate: changed,
      onDelete: changed,
    });
    this.setHealth({ recovering: false });
    // A run still winding down from an earlier stop must end before the next starts (`run` would
    // otherwise hand back the finishing one).
    this.running = this.running.then(() => {
      if (controller.signal.aborted) return;
      const run = this.informer.run(controller.signal);
      void this.informer.whenSynced(controller.signal).then(
        () => this.setHealth({}),
        () => undefined,
      );
      return run;
    });
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.registration?.remove();
    this.registration = undefined;
    this.pendingHealth = {
      ...idleHealth,
      synced: this.informer.hasSynced(),
      lastEventAt: this.pendingHealth.lastEventAt,
    };
    this.host.markChanged(this as unknown as InformerSource<KubeObject, string>);
  }

  private setHealth(change: {
    readonly consecutiveFailures?: number;
    readonly recovering?: boolean;
    readonly lastFailure?: RequestFailure;
    readonly lastEventAt?: number;
  }): void {
    const previous = this.pendingHealth;
    const synced = this.informer.hasSynced();
    const consecutiveFailures = change.consecutiveFailures ?? previous.consecutiveFailures;
    const recovering = change.recovering ?? previous.phase === 'recovering';
    const phase =
      this.controller === undefined ? 'idle' : recovering ? 'recovering' : synced ? 'healthy' : 'syncing';
    const next: InformerHealth = {
      phase,
      synced,
      consecutiveFailures,
      lastFailure: change.lastFailure ?? previous.lastFailure,
      lastEventAt: change.lastEventAt ?? previous.lastEventAt,
    };
    const unchanged =
      next.phase === previous.phase &&
      next.synced === previous.synced &&
      next.consecutiveFailures === previous.consecutiveFailures &&
      next.lastFailure === previous.lastFailure &&
      next.lastEventAt === previous.lastEventAt;
    if (unchanged) return;
    this.pendingHealth = next;
    this.host.markChanged(this as unknown as InformerSource<KubeObject, string>);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
