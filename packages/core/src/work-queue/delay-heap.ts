interface DelayedEntry<K> {
  readonly item: K;
  readyAt: number;
  sequence: number;
  position: number;
}

/**
 * Items waiting for a time, earliest first (ties in insertion order), at most once each: adding an item
 * already waiting keeps the earlier of the two times, as client-go's delaying queue does.
 */
export class DelayHeap<K> {
  private readonly heap: DelayedEntry<K>[] = [];
  private readonly entries = new Map<K, DelayedEntry<K>>();
  private sequence = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Ready time of the earliest item, or `undefined` when none waits. */
  get nextReadyAt(): number | undefined {
    return this.heap[0]?.readyAt;
  }

  /** Returns true when the item's ready time was set or moved earlier. */
  insert(item: K, readyAt: number): boolean {
    const existing = this.entries.get(item);
    if (existing !== undefined) {
      if (existing.readyAt <= readyAt) return false;
      existing.readyAt = readyAt;
      this.siftUp(existing.position);
      return true;
    }
    const entry: DelayedEntry<K> = { item, readyAt, sequence: this.sequence++, position: this.heap.length };
    this.heap.push(entry);
    this.entries.set(item, entry);
    this.siftUp(entry.position);
    return true;
  }

  /** Removes and returns the earliest item if it is ready at `now`. */
  popReady(now: number): K | undefined {
    const top = this.heap[0];
    if (top === undefined || top.readyAt > now) return undefined;
    const last = this.heap.pop() as DelayedEntry<K>;
    if (last !== top) {
      last.position = 0;
      this.heap[0] = last;
      this.siftDown(0);
    }
    this.entries.delete(top.item);
    return top.item;
  }

  clear(): void {
    this.heap.length = 0;
    this.entries.clear();
  }

  private before(a: DelayedEntry<K>, b: DelayedEntry<K>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.sequence < b.sequence);
  }

  private siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(this.heap[index] as DelayedEntry<K>, this.heap[parent] as DelayedEntry<K>)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (
        left < this.heap.length &&
        this.before(this.heap[left] as DelayedEntry<K>, this.heap[smallest] as DelayedEntry<K>)
      ) {
        smallest = left;
      }
      if (
        right < this.heap.length &&
        this.before(this.heap[right] as DelayedEntry<K>, this.heap[smallest] as DelayedEntry<K>)
      ) {
        smallest = right;
      }
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const first = this.heap[a] as DelayedEntry<K>;
    const second = this.heap[b] as DelayedEntry<K>;
    this.heap[a] = second;
    this.heap[b] = first;
    first.position = b;
    second.position = a;
  }
}
