import type { StoredRevision } from './stored-revision.js';

export type StoredEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One change to one object. `object` is the state after the change (for `DELETED`: the last state,
 * stamped with the deletion's resourceVersion, as the real server sends it); `previous` is the state
 * before (absent for `ADDED`). Serialized lines are cached per projection so that a change fanned out
 * to many watchers is serialized once.
 */
export class StoredEvent {
  private readonly lines = new Map<string, string>();

  constructor(
    readonly type: StoredEventType,
    readonly object: StoredRevision,
    readonly previous: StoredRevision | undefined,
  ) {}

  get resourceVersion(): number {
    return this.object.resourceVersion;
  }

  /** Memoizes `render()` under `projection` (e.g. `full:MODIFIED`, `meta:DELETED`). */
  line(projection: string, render: () => string): string {
    let line = this.lines.get(projection);
    if (line === undefined) {
      line = render();
      this.lines.set(projection, line);
    }
    return line;
  }
}

/**
 * The window of recent events of one resource — the fake counterpart of the API server's watch cache.
 * A watch (or an exact list, or a continue token) from resourceVersion `N` can be served iff every event
 * after `N` is still here, i.e. `N >= compactedThrough`; otherwise the answer is `410 Expired`.
 */
export class EventHistory {
  private events: StoredEvent[] = [];
  private start = 0;
  /** Every event with a resourceVersion at or below this has been dropped. */
  compactedThrough = 0;

  constructor(private capacity: number) {}

  get size(): number {
    return this.events.length - this.start;
  }

  append(event: StoredEvent): void {
    this.events.push(event);
    if (this.size > this.capacity) {
      this.compactedThrough = this.events[this.start]!.resourceVersion;
      this.start += 1;
      // Amortized O(1): shift the array only once half of it is dead.
      if (this.start > 1024 && this.start * 2 > this.events.length) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Whether every event after `resourceVersion` is still retained. */
  covers(resourceVersion: number): boolean {
    return resourceVersion >= this.compactedThrough;
  }

  /** Events with a resourceVersion greater than `resourceVersion`, oldest first. Check `covers` first. */
  since(resourceVersion: number): StoredEvent[] {
    let low = this.start;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle]!.resourceVersion <= resourceVersion) low = middle + 1;
      else high = middle;
    }
    return this.events.slice(low);
  }

  /** Drops every event; afterwards only versions at or above `resourceVersion` can be watched. */
  compact(resourceVersion: number): void {
    this.events = [];
    this.start = 0;
    this.compactedThrough = Math.max(this.compactedThrough, resourceVersion);
  }

  resize(capacity: number): void {
    this.capacity = capacity;
    while (this.size > capacity) {
      this.compactedThrough = this.events[this.start]!.resourceVersion;
      this.start += 1;
    }
  }
}
