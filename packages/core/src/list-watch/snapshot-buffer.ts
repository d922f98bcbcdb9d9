import { objectKey } from '../store/store.js';
import type { WatchChange } from './list-watch-sink.js';

/**
 * The objects of a snapshot being taken: list pages appended as they arrive, or the changes of a
 * streaming list folded by key. Handed over whole (`take`) so the sink sees the snapshot atomically.
 */
export class SnapshotBuffer<
  T extends { readonly metadata?: { readonly name?: string; readonly namespace?: string } },
> {
  private listed: T[] = [];
  private readonly streamed = new Map<string, T>();

  get size(): number {
    return this.listed.length + this.streamed.size;
  }

  /** Takes ownership of `items`. */
  addPage(items: T[]): void {
    if (this.listed.length === 0) {
      this.listed = items;
      return;
    }
    for (const item of items) this.listed.push(item);
  }

  collect(change: WatchChange<T>): void {
    const key = objectKey(change.object);
    if (change.type === 'DELETED') this.streamed.delete(key);
    else this.streamed.set(key, change.object);
  }

  /** Everything held, in arrival order; the buffer is empty afterwards. */
  take(): T[] {
    const objects = this.streamed.size === 0 ? this.listed : [...this.listed, ...this.streamed.values()];
    this.clear();
    return objects;
  }

  clear(): void {
    this.listed = [];
    this.streamed.clear();
  }
}
