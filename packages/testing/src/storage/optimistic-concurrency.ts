import { conflict } from './api-status-error.js';
import type { StoredRevision } from './stored-revision.js';

const modifiedMessage =
  'the object has been modified; please apply your changes to the latest version and try again';

/**
 * Optimistic concurrency of updates and patches: a write that names a resourceVersion applies only to
 * that version, and is a 409 Conflict otherwise. `undefined` writes unconditionally.
 */
export function requireResourceVersion(current: StoredRevision, expected: string | undefined): void {
  if (expected === undefined || expected === current.metadata.resourceVersion) return;
  throw conflict({ ...current.resource, name: current.metadata.name ?? '' }, modifiedMessage);
}

/** The `preconditions` of a delete: the object must still have this uid and/or resourceVersion. */
export interface DeletePreconditions {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export function requireDeletePreconditions(
  current: StoredRevision,
  preconditions: DeletePreconditions | undefined,
): void {
  const { uid, resourceVersion } = preconditions ?? {};
  const target = { ...current.resource, name: current.metadata.name ?? '' };
  if (uid !== undefined && uid !== current.metadata.uid) {
    throw conflict(
      target,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (resourceVersion !== undefined && resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      target,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
}
