import { badRequest } from '../storage/api-status-error.js';
import { applyPatch, type PatchType } from '../storage/object-patch.js';
import type { ObjectStore, WriteOptions } from '../storage/object-store.js';
import type { StoredRevision } from '../storage/stored-revision.js';
import type { ApiResource } from './api-resource.js';

// biome-ignore lint/suspicious/noExplicitAny: workload objects are read defensively.
type Any = any;

/**
 * The `autoscaling/v1` Scale of a workload (what `kubectl scale` reads and writes): `spec.replicas` from
 * the object's `spec.replicas`, `status.replicas` and a label-selector string from its status and
 * selector. No controller acts on it: pods do not appear or disappear.
 */
export function scaleOf(revision: StoredRevision): Record<string, unknown> {
  const object = revision.object as Any;
  const matchLabels: Record<string, string> =
    object.spec?.selector?.matchLabels ?? object.spec?.selector ?? {};
  const { name, namespace, uid, resourceVersion, creationTimestamp } = revision.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: object.spec?.replicas ?? 1 },
    status: {
      replicas: object.status?.replicas ?? 0,
      selector: Object.entries(matchLabels)
        .map(([key, value]) => `${key}=${value}`)
        .join(','),
    },
  };
}

/** Writes a Scale (`PUT`) or a patch of one (`PATCH`) back to the workload's `spec.replicas`. */
export function writeScale(
  objectStore: ObjectStore,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  change: { readonly scale: unknown } | { readonly patchType: PatchType; readonly patch: unknown },
  options: WriteOptions,
): StoredRevision {
  const current = objectStore.get(resource, namespace, name);
  const scale =
    'scale' in change ? change.scale : applyPatch(scaleOf(current), change.patchType, change.patch);
  const replicas = (scale as Any)?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0)
    throw badRequest('spec.replicas of a Scale must be a non-negative integer');
  const resourceVersion = (scale as Any)?.metadata?.resourceVersion;
  return objectStore.patch(
    resource,
    namespace,
    name,
    'merge',
    { metadata: resourceVersion === undefined ? {} : { resourceVersion }, spec: { replicas } },
    options,
  );
}
