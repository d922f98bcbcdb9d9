import { invalid } from './api-status-error.js';
import { orderedMetadata, timestamp } from './object-metadata.js';
import type { JsonObject, ObjectMetadata, StoredRevision } from './stored-revision.js';

/**
 * Whether a delete must wait: with finalizers, deleting only sets `deletionTimestamp`, and the object
 * goes away once an update clears them.
 */
export function hasFinalizers(metadata: ObjectMetadata): boolean {
  return (metadata.finalizers ?? []).length > 0;
}

/** The object with `deletionTimestamp` set at `now`: what a delete of a finalized object stores. */
export function markedForDeletion(current: StoredRevision, now: Date): JsonObject {
  const metadata = orderedMetadata({
    ...current.metadata,
    deletionTimestamp: timestamp(now),
    deletionGracePeriodSeconds: 0,
  });
  return { ...current.object, metadata };
}

/** Whether an object being deleted has lost its last finalizer, so it is removed instead of stored. */
export function finalized(metadata: ObjectMetadata): boolean {
  return metadata.deletionTimestamp !== undefined && !hasFinalizers(metadata);
}

/** While an object is being deleted, an update may remove finalizers but not add any (a 422). */
export function forbidNewFinalizersWhileDeleting(current: StoredRevision, next: ObjectMetadata): void {
  if (current.metadata.deletionTimestamp === undefined) return;
  const previous = current.metadata.finalizers ?? [];
  const added = (next.finalizers ?? []).filter((finalizer) => !previous.includes(finalizer));
  if (added.length === 0) return;
  throw invalid({ ...current.resource, name: current.metadata.name ?? '' }, [
    {
      reason: 'FieldValueForbidden',
      field: 'metadata.finalizers',
      message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
    },
  ]);
}
