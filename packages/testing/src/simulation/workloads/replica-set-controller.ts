import type { ClusterAccess, Json } from '../cluster-access.js';
import {
  controllerReference,
  isActive,
  isReady,
  isTerminating,
  millisecondsUntilAvailable,
} from '../pod-state.js';
import type { SeededRandom } from '../seeded-random.js';
import { createOwnedPod } from './owned-pod.js';
import { OwnerController } from './owner-controller.js';

// Pods created or deleted per ReplicaSet per pass; the queue comes back for the rest, so one large
// scale-up does not hold the event loop (the real controller batches its creates too).
const burst = 500;

/**
 * The ReplicaSet controller: keeps `spec.replicas` active pods (neither terminating nor finished) per
 * ReplicaSet, created from its template with an owner reference, and reports `status.replicas`,
 * `fullyLabeledReplicas`, `readyReplicas`, `availableReplicas` (ready for `minReadySeconds`) and
 * `observedGeneration`. Surplus pods are deleted in the real controller's order of preference: unbound,
 * pending, not ready, ready for the shortest time, newest.
 */
export class ReplicaSetController extends OwnerController {
  constructor(
    access: ClusterAccess,
    private readonly random: SeededRandom,
  ) {
    super(access, {
      name: 'ReplicaSetController',
      owners: 'replicasets',
      ownerKind: 'ReplicaSet',
      controlled: 'pods',
    });
  }

  protected reconcile(key: string): void {
    const replicaSet = this.access.get('replicasets', key);
    if (replicaSet === undefined || isTerminating(replicaSet)) return;
    const pods = this.controlled.dependents(replicaSet.metadata.uid);
    const active = pods.filter(isActive);
    const wanted = replicaSet.spec?.replicas ?? 1;
    if (active.length < wanted) {
      const missing = Math.min(wanted - active.length, burst);
      for (let index = 0; index < missing; index += 1) this.createPod(replicaSet);
      if (wanted - active.length > burst) this.queue.add(key);
    } else if (active.length > wanted) {
      const surplus = [...active].sort(deletionOrder).slice(0, Math.min(active.length - wanted, burst));
      for (const pod of surplus) this.access.delete('pods', pod);
      if (active.length - wanted > burst) this.queue.add(key);
    }
    this.writeStatus(key);
  }

  private writeStatus(key: string): void {
    const replicaSet = this.access.get('replicasets', key);
    if (replicaSet === undefined) return;
    const active = this.controlled.dependents(replicaSet.metadata.uid).filter(isActive);
    const minReadySeconds = replicaSet.spec?.minReadySeconds ?? 0;
    const now = this.access.now().getTime();
    let available = 0;
    let nextAvailable = Number.POSITIVE_INFINITY;
    for (const pod of active) {
      const wait = millisecondsUntilAvailable(pod, minReadySeconds, now);
      if (wait === 0) available += 1;
      else nextAvailable = Math.min(nextAvailable, wait);
    }
    // Ready pods become available later: look again then.
    if (Number.isFinite(nextAvailable)) this.queue.after(key, nextAvailable);
    const status = {
      ...replicaSet.status,
      replicas: active.length,
      fullyLabeledReplicas: active.length,
      readyReplicas: active.filter(isReady).length,
      availableReplicas: available,
      observedGeneration: replicaSet.metadata.generation,
    };
    if (!sameCounts(status, replicaSet.status)) this.access.writeStatus('replicasets', replicaSet, status);
  }

  private createPod(replicaSet: Json): void {
    createOwnedPod(this.access, this.random, replicaSet, {
      reference: controllerReference(replicaSet, 'apps/v1', 'ReplicaSet'),
      spec: replicaSet.spec?.template?.spec ?? { containers: [] },
    });
  }
}

const counted = [
  'replicas',
  'fullyLabeledReplicas',
  'readyReplicas',
  'availableReplicas',
  'observedGeneration',
];

function sameCounts(next: Json, current: Json): boolean {
  return current !== undefined && counted.every((field) => (next[field] ?? 0) === (current[field] ?? 0));
}

const phaseRank: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** Which surplus pod goes first: the cheapest to lose (the real controller's ranking, simplified). */
function deletionOrder(left: Json, right: Json): number {
  const bound = (pod: Json) => (pod.spec?.nodeName ? 1 : 0);
  if (bound(left) !== bound(right)) return bound(left) - bound(right);
  const phase = (pod: Json) => phaseRank[pod.status?.phase ?? 'Pending'] ?? 0;
  if (phase(left) !== phase(right)) return phase(left) - phase(right);
  const ready = (pod: Json) => (isReady(pod) ? 1 : 0);
  if (ready(left) !== ready(right)) return ready(left) - ready(right);
  // Newer first: ready more recently, then created more recently.
  const readySince = (pod: Json) =>
    Date.parse(
      (pod.status?.conditions ?? []).find((condition: Json) => condition.type === 'Ready')
        ?.lastTransitionTime ?? '',
    ) || 0;
  if (readySince(left) !== readySince(right)) return readySince(right) - readySince(left);
  return (
    (Date.parse(right.metadata.creationTimestamp) || 0) - (Date.parse(left.metadata.creationTimestamp) || 0)
  );
}
