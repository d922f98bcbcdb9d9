import { OwnerIndex } from './owner-index.js';
import type { ResourceTables } from './resource-tables.js';
import type { StoredRevision } from './stored-revision.js';

/**
 * What happens to dependents (objects whose `ownerReferences` name the deleted object): `Background`
 * (default) deletes them right after the owner, `Orphan` removes the reference and keeps them.
 * `Foreground` is treated as `Background` (the owner does not wait for its dependents).
 */
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

/** Deletes a dependent with the API's delete semantics (finalizers, its own dependents). */
export type DeleteDependent = (dependent: StoredRevision, propagationPolicy: PropagationPolicy) => void;

/**
 * Cascading deletion, synchronously: once an owner is gone its dependents go too (or, with `Orphan`,
 * lose the reference). The owner graph follows every commit, so dependents are found without scanning
 * every table.
 */
export class GarbageCollector {
  private readonly owners = new OwnerIndex();

  /** Subscribe before anything that writes from a change listener, so the graph is current when it runs. */
  constructor(
    private readonly tables: ResourceTables,
    private readonly deleteDependent: DeleteDependent,
  ) {
    tables.onChange((_, event) =>
      this.owners.update(event.previous, event.type === 'DELETED' ? undefined : event.object),
    );
  }

  /** Handles the dependents of the owner `uid`, which was just deleted. */
  collect(uid: string, propagationPolicy: PropagationPolicy): void {
    for (const { table: tableKey, key } of this.owners.dependentsOf(uid)) {
      const dependent = this.tables.tableByKey(tableKey)?.objects.get(key);
      if (dependent === undefined) continue;
      if (propagationPolicy === 'Orphan') this.orphan(dependent, uid);
      else this.deleteDependent(dependent, propagationPolicy);
    }
  }

  private orphan(dependent: StoredRevision, ownerUid: string): void {
    const { ownerReferences: references = [], ...rest } = dependent.metadata;
    const ownerReferences = references.filter((reference) => reference.uid !== ownerUid);
    const metadata = ownerReferences.length === 0 ? rest : { ...rest, ownerReferences };
    this.tables.commit(
      this.tables.table(dependent.resource),
      'MODIFIED',
      dependent.key,
      { ...dependent.object, metadata },
      dependent,
    );
  }
}
