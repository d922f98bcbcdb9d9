import type { ApiResource } from '../resources/api-resource.js';
import type { ResourceCatalog } from '../resources/resource-catalog.js';
import { ApiStatusError, notFound } from './api-status-error.js';
import type { ResourceTables } from './resource-tables.js';
import type { StoredRevision } from './stored-revision.js';

/** Whether `resource` is the core group's `namespaces`. */
export function isNamespaceResource(resource: ApiResource): boolean {
  return resource.group === '' && resource.resource === 'namespaces';
}

/**
 * Objects can only be created in a namespace that exists (404 otherwise) and is not terminating (403, as
 * the API server's NamespaceLifecycle admission answers).
 */
export function requireActiveNamespace(
  tables: ResourceTables,
  catalog: ResourceCatalog,
  namespace: string,
  resource: ApiResource,
): void {
  const namespaces = catalog.resolve({ group: '', resource: 'namespaces' });
  const found = tables.table(namespaces).objects.get(namespace);
  if (found === undefined) throw notFound({ ...namespaces, name: namespace });
  if (found.metadata.deletionTimestamp !== undefined) {
    throw new ApiStatusError({
      code: 403,
      reason: 'Forbidden',
      message: `${resource.resource} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
    });
  }
}

/**
 * Everything stored in `namespace`, table by table in key order: what deleting the namespace removes.
 * Lazy, so an object already removed by an earlier removal (a cascading delete) is skipped.
 */
export function* namespaceContents(tables: ResourceTables, namespace: string): Generator<StoredRevision> {
  const prefix = `${namespace}/`;
  for (const table of tables.all()) {
    if (!table.resource.namespaced) continue;
    for (const key of [...table.sortedKeys()]) {
      const revision = key.startsWith(prefix) ? table.objects.get(key) : undefined;
      if (revision !== undefined) yield revision;
    }
  }
}
