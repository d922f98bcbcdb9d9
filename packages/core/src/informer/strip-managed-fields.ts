import type { KubeObject } from '../protocol/kube-object.js';
import { deleteManagedFields } from '../protocol/prune-managed-fields.js';

/**
 * A ready `transform` for informers: drops `metadata.managedFields`, the server-side-apply bookkeeping
 * that often makes up a third or more of an object's JSON and that controllers rarely read. Mutates and
 * returns the object it is given (an informer's transform owns the freshly decoded object). The
 * informer option `pruneManagedFields` gives the same result before the parse, without paying for it.
 * @see client-go's informer `TransformFunc` examples
 */
export function stripManagedFields<T extends KubeObject>(object: T): T {
  deleteManagedFields(object);
  return object;
}
