import type { Terminal } from './terminal.js';

/** What the progress line reads of an informer once it has synced. */
export interface SyncingInformer {
  readonly store: { readonly size: number };
  hasSynced(): boolean;
}

/** How often the line is redrawn while waiting, besides after every list page. */
const redrawIntervalMs = 100;

/**
 * One status line while the caches sync: the objects each informer's list has received so far (fed
 * page by page through `informerFor(…, { onListProgress })`), and a tick once it has synced.
 */
export class SyncProgress {
  private readonly listed = new Map<string, number>();
  private readonly informers = new Map<string, SyncingInformer>();
  private waiting = false;

  constructor(private readonly terminal: Terminal) {}

  /** The `onListProgress` hook of the informer called `name`. */
  reporter(name: string): (objectsListedSoFar: number) => void {
    this.listed.set(name, 0);
    return (objectsListedSoFar) => {
      this.listed.set(name, objectsListedSoFar);
      // Relists later report too; only the first sync has a progress line.
      if (this.waiting) this.render();
    };
  }

  /** Waits for `sync`, redrawing the line for `informers` as lists arrive. */
  async wait(informers: ReadonlyMap<string, SyncingInformer>, sync: () => Promise<void>): Promise<void> {
    for (const [name, informer] of informers) this.informers.set(name, informer);
    this.waiting = true;
    this.render();
    const timer = setInterval(() => this.render(), redrawIntervalMs);
    try {
      await sync();
    } finally {
      clearInterval(timer);
      this.waiting = false;
    }
    this.render();
    this.terminal.keepStatus();
  }

  private render(): void {
    const parts = [...this.informers].map(([name, informer]) =>
      informer.hasSynced() ? `${name} ${informer.store.size} ✓` : `${name} ${this.listed.get(name) ?? 0} …`,
    );
    this.terminal.status('syncing', parts.join(' · '));
  }
}
