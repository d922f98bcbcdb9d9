import type { KubeInformersError } from '../errors/kube-informers-error.js';
import {
  formatShardSelector,
  type ShardedObject,
  type ShardSelector,
  shardSelectorMatches,
} from './shard-selector.js';

/**
 * The shard selector of one informer, which may change while it runs (`SharedInformer.setShardSelector`).
 * The informer's list/watch loop reads `selector` and `wireText`, hears of a change through `onChange`
 * (it then relists with the new selector), and calls `applied()` once a snapshot taken with the current
 * selector is in the store, which settles the promises `retarget` returned.
 *
 * A selector with no range holds nothing. The wire cannot say that (an empty `shardSelector` means no
 * filtering), so it is sent as the narrowest range there is, `[0, 1)`, and filtered to nothing here.
 */
export class ShardTarget {
  private current: ShardSelector;
  private text: string;
  /** The selector of the last snapshot stored, compared by text and range count. */
  private appliedAs: string | undefined;
  private readonly listeners = new Set<() => void>();
  private waiters: { resolve(): void; reject(error: unknown): void }[] = [];

  constructor(selector: ShardSelector) {
    this.current = freeze(selector);
    this.text = wireText(this.current);
  }

  get selector(): ShardSelector {
    return this.current;
  }

  /** The `shardSelector` query parameter, as the API server prints selectors. */
  get wireText(): string {
    return this.text;
  }

  /**
   * Switches to `selector` (validated first: an invalid one throws `ShardSelectorError` and changes
   * nothing). Resolves once a snapshot taken with it is in the store; at once when it selects what the
   * current one does.
   */
  retarget(selector: ShardSelector): Promise<void> {
    const next = freeze(selector);
    const text = wireText(next);
    const identity = `${next.ranges.length} ${text}`;
    if (identity === this.appliedAs && identity === this.identity()) return Promise.resolve();
    const changed = identity !== this.identity();
    this.current = next;
    this.text = text;
    const applied = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (changed) for (const listener of [...this.listeners]) listener();
    return applied;
  }

  /** `listener` runs at every change of selector; returns the function that unsubscribes. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A snapshot taken with the current selector is in the store. */
  applied(): void {
    this.appliedAs = this.identity();
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  /** The informer stopped before applying the current selector. */
  stopped(error: KubeInformersError): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  private identity(): string {
    return `${this.current.ranges.length} ${this.text}`;
  }
}

function freeze(selector: ShardSelector): ShardSelector {
  return Object.freeze({
    field: selector.field,
    ranges: Object.freeze(selector.ranges.map(({ start, end }) => Object.freeze({ start, end }))),
  });
}

function wireText(selector: ShardSelector): string {
  const ranges = selector.ranges.length === 0 ? [{ start: 0n, end: 1n }] : selector.ranges;
  return formatShardSelector({ field: selector.field, ranges });
}

/** Whether `object` is in `target`'s ranges (always, without a target). */
export function isInShard(target: ShardTarget | undefined, object: ShardedObject): boolean {
  return target === undefined || shardSelectorMatches(target.selector, object);
}

/**
 * `items` without the objects outside `target`'s ranges, in place. The list/watch loop checks whatever the
 * server said: the fallback needs it, and where the server filtered it costs one hash per object kept.
 */
export function keepInShard<T extends ShardedObject>(target: ShardTarget | undefined, items: T[]): T[] {
  if (target === undefined) return items;
  let kept = 0;
  for (const item of items) if (shardSelectorMatches(target.selector, item)) items[kept++] = item;
  items.length = kept;
  return items;
}
