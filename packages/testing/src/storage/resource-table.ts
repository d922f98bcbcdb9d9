import type { ApiResource } from '../resources/api-resource.js';
import { EventHistory } from './event-history.js';
import type { StoredRevision } from './stored-revision.js';

/**
 * The objects of one resource and the window of its recent events. Keys are kept sorted lazily (a new
 * array whenever keys were added or removed since the last read), so a key array handed out stays valid
 * while later writes happen — lists can stream from it without copying.
 */
export class ResourceTable {
  readonly objects = new Map<string, StoredRevision>();
  readonly history: EventHistory;
  private sorted: string[] | undefined = [];

  constructor(
    readonly resource: ApiResource,
    historySize: number,
  ) {
    this.history = new EventHistory(historySize);
  }

  set(revision: StoredRevision): void {
    if (!this.objects.has(revision.key)) this.sorted = undefined;
    this.objects.set(revision.key, revision);
  }

  remove(key: string): void {
    if (this.objects.delete(key)) this.sorted = undefined;
  }

  /** All keys in list order (byte order of `namespace/name`, like etcd's key order). Do not mutate. */
  sortedKeys(): readonly string[] {
    this.sorted ??= [...this.objects.keys()].sort(compareKeys);
    return this.sorted;
  }
}

export function compareKeys(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Index of the first key in `keys` (sorted) that is `>= bound`. */
export function lowerBound(keys: readonly string[], bound: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! < bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
