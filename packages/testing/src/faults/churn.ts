import type { ResourceTarget } from '../resources/resource-catalog.js';
import { ObjectFilter } from '../storage/object-filter.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { WatchHub } from '../watch/watch-hub.js';

export interface ChurnOptions {
  /** Resource whose objects are modified; default `pods`. */
  readonly resource?: ResourceTarget;
  /** Number of MODIFIED events to produce. */
  readonly count: number;
  readonly namespace?: string;
  readonly labelSelector?: string;
  /** Writes between waits for the watchers to catch up; default 500. */
  readonly batchSize?: number;
}

export interface ChurnResult {
  readonly modified: number;
  /** The resourceVersion after the last modification. */
  readonly resourceVersion: string;
}

/** The annotation each modification changes: a realistic, tiny metadata update. */
export const churnAnnotation = 'kubeinformers.dev/churn';

/**
 * Produces `count` MODIFIED events as fast as watchers read them: objects are modified round-robin (an
 * annotation changes; in the real world a status heartbeat would), in batches, and between batches the
 * producer waits until every watcher has flushed its queue to its socket. Memory stays bounded whatever
 * `count` is, and the rate is the rate of the slowest watch consumer.
 */
export async function churn(
  objectStore: ObjectStore,
  hub: WatchHub,
  options: ChurnOptions,
): Promise<ChurnResult> {
  const resource = objectStore.catalog.resolve(options.resource ?? 'pods');
  const filter = ObjectFilter.parse(resource, options.namespace, options.labelSelector, undefined);
  const table = objectStore.table(resource);
  const keys = table.sortedKeys().filter((key) => {
    const revision = table.objects.get(key);
    return revision !== undefined && filter.matches(revision);
  });
  if (keys.length === 0 || options.count <= 0)
    return { modified: 0, resourceVersion: String(objectStore.resourceVersion) };
  const batchSize = Math.max(1, options.batchSize ?? 500);
  let modified = 0;
  while (modified < options.count) {
    const end = Math.min(options.count, modified + batchSize);
    for (; modified < end; modified += 1) {
      const revision = table.objects.get(keys[modified % keys.length]!);
      if (revision === undefined) continue;
      const { namespace, name = '' } = revision.metadata;
      objectStore.patch(resource, namespace, name, 'merge', {
        metadata: { annotations: { [churnAnnotation]: String(objectStore.resourceVersion + 1) } },
      });
    }
    await hub.drained();
  }
  return { modified, resourceVersion: String(objectStore.resourceVersion) };
}
