import type { ApiResource } from '../resources/api-resource.js';
import { resourceKey } from '../resources/api-resource.js';
import { StoredEvent, type StoredEventType } from './event-history.js';
import { ResourceTable } from './resource-table.js';
import { type JsonObject, type ObjectMetadata, StoredRevision } from './stored-revision.js';

export type ChangeListener = (table: ResourceTable, event: StoredEvent) => void;

/**
 * Every resource's table and the one cluster-wide resourceVersion counter. All changes go through
 * `commit`, which hands out the next resourceVersion, updates the table and its event history, and
 * tells the listeners, in resourceVersion order. It applies no API rules: those belong to its callers.
 */
export class ResourceTables {
  private readonly tables = new Map<string, ResourceTable>();
  private readonly listeners = new Set<ChangeListener>();
  private counter = 0;

  constructor(private readonly historySize: number) {}

  /** The latest resourceVersion handed out, cluster-wide. */
  get resourceVersion(): number {
    return this.counter;
  }

  /** Listeners are called synchronously, in the order they subscribed, after each commit. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  table(resource: ApiResource): ResourceTable {
    const key = resourceKey(resource);
    let table = this.tables.get(key);
    if (table === undefined) {
      table = new ResourceTable(resource, this.historySize);
      this.tables.set(key, table);
    }
    return table;
  }

  /** The table of `group/resource` (as `resourceKey` spells it), if anything was ever stored there. */
  tableByKey(key: string): ResourceTable | undefined {
    return this.tables.get(key);
  }

  all(): ResourceTable[] {
    return [...this.tables.values()];
  }

  /** Drops all history: from now on, only the current resourceVersion can be watched or listed exactly. */
  compact(): void {
    for (const table of this.tables.values()) table.history.compact(this.counter);
  }

  /**
   * Stores `object` under the next resourceVersion (or, for `DELETED`, removes it) and emits the event.
   * `previous` is the state the event replaces.
   */
  commit(
    table: ResourceTable,
    type: StoredEventType,
    key: string,
    object: JsonObject,
    previous: StoredRevision | undefined,
  ): StoredRevision {
    this.counter += 1;
    const metadata = { ...(object.metadata as ObjectMetadata), resourceVersion: String(this.counter) };
    const revision = new StoredRevision(table.resource, key, { ...object, metadata }, this.counter);
    if (type === 'DELETED') table.remove(key);
    else table.set(revision);
    const event = new StoredEvent(type, revision, previous);
    table.history.append(event);
    for (const listener of this.listeners) listener(table, event);
    return revision;
  }
}
