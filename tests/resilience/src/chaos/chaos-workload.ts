import type { KubeObject } from '@kubeinformers/core';
import type { SeededRandom } from '@kubeinformers/testing';

export type ChaosResource = 'pods' | 'configmaps';

/**
 * Where the writes go, in-process: the fake server's `store` (its writes reach open watches exactly as
 * an HTTP write would), or an in-memory API behind the same three calls.
 */
export interface WorkloadStore {
  create(resource: ChaosResource | 'namespaces', object: KubeObject): unknown;
  delete(resource: ChaosResource, key: string): unknown;
  /** Read-modify-write of the current object; `mutator` edits the copy in place. */
  mutate(
    resource: ChaosResource,
    key: string,
    mutator: (draft: KubeObject & { data?: Record<string, string> }) => void,
  ): unknown;
}

/** The label the selector-filtered informer watches; updates flip it to move pods in and out. */
export const tierLabel = 'tier';

/** Objects per namespace and resource the workload aims at: enough for multi-page lists. */
const capacityPerNamespace = 40;
/** Deleted names kept for recreating. */
const maxRememberedDeletions = 200;

/**
 * A seeded stream of writes to a server's store, in-process (each write gets a resourceVersion and
 * reaches open watches): creates, updates and deletes of pods and
 * config maps across namespaces, pods changing their `tier` label, and names deleted then recreated
 * (same key, new uid).
 */
export class ChaosWorkload {
  mutations = 0;
  private readonly live: Record<ChaosResource, string[]> = { pods: [], configmaps: [] };
  private readonly deleted: Record<ChaosResource, string[]> = { pods: [], configmaps: [] };
  private nameSequence = 0;

  constructor(
    private readonly store: WorkloadStore,
    private readonly random: SeededRandom,
    readonly namespaces: readonly string[],
  ) {
    for (const name of namespaces) store.create('namespaces', { metadata: { name } });
  }

  /** Performs one write. */
  step(): void {
    this.mutations += 1;
    const resource: ChaosResource = this.random.chance(0.75) ? 'pods' : 'configmaps';
    const live = this.live[resource];
    const capacity = capacityPerNamespace * this.namespaces.length;
    if (live.length < 5 || (live.length < capacity && this.random.chance(0.3))) this.create(resource);
    else if (live.length >= capacity || this.random.chance(0.2)) this.remove(resource);
    else this.update(resource);
  }

  private create(resource: ChaosResource): void {
    const deleted = this.deleted[resource];
    let key: string;
    if (deleted.length > 0 && this.random.chance(0.3)) {
      key = takeAt(deleted, this.random.integer(0, deleted.length - 1));
    } else {
      this.nameSequence += 1;
      key = `${this.random.pick(this.namespaces)}/${resource === 'pods' ? 'pod' : 'config'}-${this.nameSequence}`;
    }
    const [namespace, name] = key.split('/') as [string, string];
    const object =
      resource === 'pods'
        ? {
            metadata: {
              name,
              namespace,
              labels: { app: 'chaos', [tierLabel]: this.random.pick(['frontend', 'backend']) },
            },
            spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
          }
        : { metadata: { name, namespace }, data: { step: String(this.mutations) } };
    this.store.create(resource, object);
    this.live[resource].push(key);
  }

  private remove(resource: ChaosResource): void {
    const live = this.live[resource];
    const key = takeAt(live, this.random.integer(0, live.length - 1));
    this.store.delete(resource, key);
    const deleted = this.deleted[resource];
    deleted.push(key);
    // Bounded, so a soak's own bookkeeping does not grow the heap it measures.
    if (deleted.length > maxRememberedDeletions) takeAt(deleted, 0);
  }

  private update(resource: ChaosResource): void {
    const key = this.random.pick(this.live[resource]);
    const step = String(this.mutations);
    const flipTier = resource === 'pods' && this.random.chance(0.4);
    this.store.mutate(resource, key, (draft) => {
      const metadata = draft.metadata ?? {};
      if (flipTier) {
        const labels = { ...metadata.labels };
        labels[tierLabel] = labels[tierLabel] === 'frontend' ? 'backend' : 'frontend';
        metadata.labels = labels;
      } else if (resource === 'pods') {
        metadata.annotations = { ...metadata.annotations, 'chaos/step': step };
      } else {
        draft.data = { ...draft.data, step };
      }
    });
  }
}

/** Removes and returns the element at `index` in O(1) (order is not kept). */
function takeAt(values: string[], index: number): string {
  const value = values[index] as string;
  values[index] = values[values.length - 1] as string;
  values.pop();
  return value;
}
