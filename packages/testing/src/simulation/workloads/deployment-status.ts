import { jsonEqual } from '../../storage/json-values.js';
import type { Json } from '../cluster-access.js';
import type { RolloutBounds } from './rollout-bounds.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

export function revisionOf(replicaSet: Json): number {
  return Number(replicaSet.metadata.annotations?.[revisionAnnotation] ?? 0) || 0;
}

const sum = (replicaSets: readonly Json[], read: (replicaSet: Json) => number | undefined) =>
  replicaSets.reduce((total, replicaSet) => total + (read(replicaSet) ?? 0), 0);

/** Whether the rollout is done: every replica updated and available, and no old pod left. */
export function rolloutComplete(deployment: Json, status: Json): boolean {
  const replicas = deployment.spec?.replicas ?? 1;
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    status.observedGeneration >= deployment.metadata.generation
  );
}

/**
 * The status the Deployment controller reports: counts summed over its ReplicaSets (`replicas`,
 * `readyReplicas`, `availableReplicas`; `updatedReplicas` from the new one) and the `Available` and
 * `Progressing` conditions as `kubectl rollout status` and `kubectl get` read them. Conditions keep their
 * transition time while their status holds.
 */
export function deploymentStatus(
  deployment: Json,
  newReplicaSet: Json | undefined,
  all: readonly Json[],
  bounds: RolloutBounds,
  timestamp: string,
): Json {
  const replicas = deployment.spec?.replicas ?? 1;
  const status: Json = {
    observedGeneration: deployment.metadata.generation,
    replicas: sum(all, (replicaSet) => replicaSet.status?.replicas),
    updatedReplicas: newReplicaSet?.status?.replicas ?? 0,
    readyReplicas: sum(all, (replicaSet) => replicaSet.status?.readyReplicas),
    availableReplicas: sum(all, (replicaSet) => replicaSet.status?.availableReplicas),
  };
  status.unavailableReplicas = Math.max(0, replicas - status.availableReplicas);
  const previous: Json[] = deployment.status?.conditions ?? [];
  const condition = (type: string, value: string, reason: string, message: string): Json => {
    const existing = previous.find((entry) => entry.type === type);
    if (existing?.status === value && existing.reason === reason && existing.message === message) {
      return existing;
    }
    return {
      type,
      status: value,
      lastUpdateTime: timestamp,
      lastTransitionTime: existing?.status === value ? existing.lastTransitionTime : timestamp,
      reason,
      message,
    };
  };
  const available =
    status.availableReplicas >= replicas - bounds.maxUnavailable
      ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : condition(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        );
  const name = newReplicaSet?.metadata.name;
  const progressing =
    deployment.spec?.paused === true
      ? condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused')
      : rolloutComplete(deployment, status)
        ? condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${name}" has successfully progressed.`,
          )
        : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`);
  status.conditions = [available, progressing];
  return status;
}

/** Whether a status write would change anything (the store would skip it, but building it costs). */
export function statusChanged(deployment: Json, status: Json): boolean {
  return !jsonEqual(deployment.status ?? {}, status);
}
