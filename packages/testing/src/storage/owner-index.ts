import { resourceKey } from '../resources/api-resource.js';
import type { StoredRevision } from './stored-revision.js';

/** A dependent of an owner: its table (by `group/resource`) and its key there. */
export interface DependentReference {
  readonly table: string;
  readonly key: string;
}

/**
 * Which objects name which owner uid in `metadata.ownerReferences`, kept current on every write, so
 * deleting an owner finds its dependents without scanning every table (the garbage collector's graph).
 */
export class OwnerIndex {
  private readonly byOwner = new Map<string, Map<string, DependentReference>>();

  /** Records the change from `previous` to `next` (either may be absent: create, delete). */
  update(previous: StoredRevision | undefined, next: StoredRevision | undefined): void {
    const before = previous === undefined ? [] : ownerUids(previous);
    const after = next === undefined ? [] : ownerUids(next);
    if (before.length === 0 && after.length === 0) return;
    const revision = (next ?? previous)!;
    const id = `${resourceKey(revision.resource)}\u0000${revision.key}`;
    for (const uid of before) {
      if (after.includes(uid)) continue;
      const dependents = this.byOwner.get(uid);
      dependents?.delete(id);
      if (dependents?.size === 0) this.byOwner.delete(uid);
    }
    for (const uid of after) {
      let dependents = this.byOwner.get(uid);
      if (dependents === undefined) {
        dependents = new Map();
        this.byOwner.set(uid, dependents);
      }
      dependents.set(id, { table: resourceKey(revision.resource), key: revision.key });
    }
  }

  dependentsOf(uid: string): DependentReference[] {
    return [...(this.byOwner.get(uid)?.values() ?? [])];
  }
}

function ownerUids(revision: StoredRevision): string[] {
  const references = revision.metadata.ownerReferences;
  if (!Array.isArray(references)) return [];
  return references
    .map((reference) => reference?.uid)
    .filter((uid): uid is string => typeof uid === 'string');
}
