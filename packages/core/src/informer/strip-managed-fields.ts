import type { KubeObject } from '../protocol/kube-object.js';

/**
 * A ready `transform` for informers: drops `metadata.managedFields`, the server-side-apply bookkeeping
 * that often makes up a third or more of an object's JSON and that controllers rarely read. Mutates and
 * returns the object it is given (an informer's transform owns the freshly decoded object).
 * @see client-go's informer `TransformFunc` examples
 */
export function stripManagedFields<T extends KubeObject>(object: T): T {
  const metadata = object.metadata as { managedFields?: unknown } | undefined;
  if (metadata !== undefined && 'managedFields' in metadata) delete metadata.managedFields;
  return object;
}
