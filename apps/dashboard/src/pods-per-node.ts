import type {
  DeepReadonly,
  HandlerRegistration,
  KubeObject,
  ResourceEventHandler,
} from '@kubeinformers/core';

/** The slice of a shared informer the counter needs. */
export interface EventSource<T> {
  addEventHandler(handler: ResourceEventHandler<T>): HandlerRegistration;
}

type NodeOf<T> = (object: DeepReadonly<T>) => string | undefined;

/**
 * How many pods each node runs, kept from the informer's events (one map update per event) rather than
 * recounted from the store on each batch, which at 10,000 pods cost a scan per frame. A store for
 * `useSyncExternalStore`: the first subscriber registers the handler (which replays the cache as adds), the
 * last one removes it; subscribers hear at most once per `schedule` turn (a frame by default).
 */
export class PodsPerNode<T extends KubeObject> {
  private readonly counts = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private registration: HandlerRegistration | undefined;
  private snapshot: ReadonlyMap<string, number> = new Map();
  private stale = false;
  private scheduled = false;

  constructor(
    private readonly source: EventSource<T>,
    private readonly nodeOf: NodeOf<T>,
    private readonly schedule: (callback: () => void) => void = (callback) =>
      requestAnimationFrame(() => callback()),
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.registration === undefined) {
      this.counts.clear();
      this.changed();
      this.registration = this.source.addEventHandler({
        onAdd: (pod) => this.move(undefined, this.nodeOf(pod)),
        onUpdate: (previous, next) => this.move(this.nodeOf(previous), this.nodeOf(next)),
        onDelete: (pod) => this.move(this.nodeOf(pod), undefined),
      });
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      this.registration?.remove();
      this.registration = undefined;
    };
  };

  /** The counts, the same map until one changes. */
  readonly getSnapshot = (): ReadonlyMap<string, number> => {
    if (this.stale) {
      this.snapshot = new Map(this.counts);
      this.stale = false;
    }
    return this.snapshot;
  };

  private move(from: string | undefined, to: string | undefined): void {
    if (from === to) return;
    if (from !== undefined) {
      const left = (this.counts.get(from) ?? 0) - 1;
      if (left > 0) this.counts.set(from, left);
      else this.counts.delete(from);
    }
    if (to !== undefined) this.counts.set(to, (this.counts.get(to) ?? 0) + 1);
    this.changed();
  }

  private changed(): void {
    this.stale = true;
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}
