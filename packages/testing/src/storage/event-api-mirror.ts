import type { ResourceCatalog } from '../resources/resource-catalog.js';
import type { ResourceTables } from './resource-tables.js';
import type { JsonObject } from './stored-revision.js';

/**
 * The API server keeps one storage for Events and serves it both as core/v1 and as events.k8s.io/v1,
 * converting between them. The fake keeps a table per group, so this mirror copies every
 * events.k8s.io/v1 write into core/v1, converted as the API server converts, under the same name:
 * `kubectl describe` (which reads core/v1 Events by `involvedObject`) then shows Events that
 * controllers recorded through the newer API. One direction only: core/v1 writes stay core/v1.
 */
export function mirrorEventsToCore(tables: ResourceTables, catalog: ResourceCatalog): void {
  tables.onChange((table, event) => {
    const { resource } = table;
    if (resource.group !== 'events.k8s.io' || resource.resource !== 'events') return;
    const coreResource = catalog.lookup('', 'v1', 'events');
    if (coreResource === undefined) return;
    const coreTable = tables.table(coreResource);
    const key = event.object.key;
    const previous = coreTable.objects.get(key);
    if (event.type === 'DELETED') {
      if (previous !== undefined) tables.commit(coreTable, 'DELETED', key, previous.object, previous);
      return;
    }
    tables.commit(
      coreTable,
      previous === undefined ? 'ADDED' : 'MODIFIED',
      key,
      toCoreEvent(event.object.object),
      previous,
    );
  });
}

/** events.k8s.io/v1 → core/v1, field by field as the API server's conversion (`pkg/apis/events/v1`). */
export function toCoreEvent(event: JsonObject): JsonObject {
  const metadata = { ...(event.metadata as JsonObject) };
  delete metadata.resourceVersion;
  const renamed: Record<string, string> = {
    regarding: 'involvedObject',
    note: 'message',
    reportingController: 'reportingComponent',
    deprecatedSource: 'source',
    deprecatedFirstTimestamp: 'firstTimestamp',
    deprecatedLastTimestamp: 'lastTimestamp',
    deprecatedCount: 'count',
  };
  const core: JsonObject = { apiVersion: 'v1', kind: 'Event', metadata };
  for (const [field, value] of Object.entries(event)) {
    if (field === 'apiVersion' || field === 'kind' || field === 'metadata' || value === undefined) continue;
    core[renamed[field] ?? field] = value;
  }
  return core;
}
