import { resourceKey } from '../resources/api-resource.js';
import type { StoredEvent } from '../storage/event-history.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { ResourceTable } from '../storage/resource-table.js';
import type { Watcher, WatcherHost } from './watcher.js';

// Producers waiting on `drained()` resume once every watcher's queue is at or below this many events.
const lowWaterMark = 256;

/**
 * Every open watch, by resource, and the watch-level faults. Each store write is offered to the watchers
 * of its resource synchronously (so the order of events is the order of resourceVersions); writing to
 * sockets happens afterwards, paced by each socket.
 */
export class WatchHub implements WatcherHost {
  private readonly byResource = new Map<string, Set<Watcher>>();
  private readonly drainWaiters: (() => void)[] = [];
  private corruptions = 0;
  stalled = false;

  constructor(private readonly objectStore: ObjectStore) {
    objectStore.onChange((table, event) => this.dispatch(table, event));
  }

  /** How many watches are open. */
  get size(): number {
    let count = 0;
    for (const watchers of this.byResource.values()) count += watchers.size;
    return count;
  }

  /** Events queued in the watchers and not yet handed to their sockets (a diagnostic of slow readers). */
  get backlog(): number {
    let total = 0;
    for (const watchers of this.byResource.values()) for (const watcher of watchers) total += watcher.backlog;
    return total;
  }

  register(watcher: Watcher): void {
    const key = resourceKey(watcher.settings.resource);
    let watchers = this.byResource.get(key);
    if (watchers === undefined) {
      watchers = new Set();
      this.byResource.set(key, watchers);
    }
    watchers.add(watcher);
  }

  released(watcher: Watcher): void {
    this.byResource.get(resourceKey(watcher.settings.resource))?.delete(watcher);
    this.progressed();
  }

  currentResourceVersion(): number {
    return this.objectStore.resourceVersion;
  }

  takeCorruption(): boolean {
    if (this.corruptions === 0) return false;
    this.corruptions -= 1;
    return true;
  }

  /** Ends every open watch cleanly (`abrupt`: drops the connections instead). */
  closeAll(options: { readonly abrupt?: boolean } = {}): number {
    const all = this.all();
    for (const watcher of all) {
      if (options.abrupt === true) watcher.destroy();
      else watcher.end();
    }
    return all.length;
  }

  /** Open watches stop receiving bytes (and so do new ones) until `resume()`; connections stay open. */
  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
    for (const watcher of this.all()) watcher.resume();
  }

  /** The next `count` event lines written to any watch are cut in half (invalid JSON). */
  corruptNextLines(count = 1): void {
    this.corruptions += count;
  }

  /** Sends a BOOKMARK now on every watch that allowed bookmarks. */
  sendBookmarks(): void {
    for (const watcher of this.all()) watcher.bookmark();
  }

  /**
   * Resolves when every watcher has written all but a few queued events to its socket: producers that
   * push many changes await this between batches to go exactly as fast as the slowest watcher reads.
   */
  drained(): Promise<void> {
    if (this.isDrained()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  progressed(): void {
    if (this.drainWaiters.length === 0 || !this.isDrained()) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private isDrained(): boolean {
    if (this.stalled) return this.size === 0;
    for (const watchers of this.byResource.values()) {
      for (const watcher of watchers) if (watcher.backlog > lowWaterMark) return false;
    }
    return true;
  }

  private dispatch(table: ResourceTable, event: StoredEvent): void {
    const watchers = this.byResource.get(resourceKey(table.resource));
    if (watchers === undefined) return;
    for (const watcher of watchers) watcher.offer(event);
  }

  private all(): Watcher[] {
    return [...this.byResource.values()].flatMap((watchers) => [...watchers]);
  }
}
