import type { Json } from './cluster-access.js';

/** Being deleted: counts for no controller any more (it is replaced right away, like the real ones do). */
export function isTerminating(pod: Json): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

export function hasFinished(pod: Json): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** What a ReplicaSet counts: neither terminating nor finished. */
export function isActive(pod: Json): boolean {
  return !isTerminating(pod) && !hasFinished(pod);
}

export function readyCondition(pod: Json): Json | undefined {
  return (pod.status?.conditions ?? []).find((condition: Json) => condition.type === 'Ready');
}

export function isReady(pod: Json): boolean {
  return readyCondition(pod)?.status === 'True';
}

/**
 * Available: ready for at least `minReadySeconds` at `now` (ms). Returns 0 when available, otherwise the
 * milliseconds until it will be (Infinity when not ready at all).
 */
export function millisecondsUntilAvailable(pod: Json, minReadySeconds: number, now: number): number {
  const condition = readyCondition(pod);
  if (condition?.status !== 'True') return Number.POSITIVE_INFINITY;
  if (minReadySeconds <= 0) return 0;
  const since = Date.parse(condition.lastTransitionTime ?? '');
  if (Number.isNaN(since)) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

/** The controller reference of an object (`controller: true`), if any. */
export function controllerOf(object: Json): Json | undefined {
  return (object.metadata.ownerReferences ?? []).find((reference: Json) => reference.controller === true);
}

/** An owner reference to `owner`, marked as its controller. */
export function controllerReference(owner: Json, apiVersion: string, kind: string): Json {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
