import type { ClusterAccess, Json } from '../cluster-access.js';
import { keyOf } from '../cluster-access.js';
import { controllerOf, controllerReference, hasFinished, isTerminating } from '../pod-state.js';
import {
  deploymentStatus,
  revisionAnnotation,
  revisionOf,
  rolloutComplete,
  statusChanged,
} from './deployment-status.js';
import { OwnerController } from './owner-controller.js';
import {
  podTemplateHash,
  podTemplateHashLabel,
  sameTemplate,
  withoutHashLabel,
} from './pod-template-hash.js';
import { type RolloutBounds, rolloutBounds } from './rollout-bounds.js';

/**
 * The Deployment controller: one ReplicaSet per pod template (named by its `pod-template-hash`), rolled
 * from old to new within `maxSurge`/`maxUnavailable` (or all at once with `Recreate`), nothing new while
 * `paused`, at most `revisionHistoryLimit` scaled-down old ReplicaSets kept, revisions numbered as
 * `kubectl rollout history/undo` read them, and a status `kubectl rollout status` understands. It scales
 * ReplicaSets only; the ReplicaSet controller makes the pods.
 */
export class DeploymentController extends OwnerController {
  constructor(access: ClusterAccess) {
    super(access, {
      name: 'DeploymentController',
      owners: 'deployments',
      ownerKind: 'Deployment',
      controlled: 'replicasets',
    });
  }

  protected reconcile(key: string): void {
    const deployment = this.access.get('deployments', key);
    if (deployment === undefined || isTerminating(deployment)) return;
    const owned = this.controlled.dependents(deployment.metadata.uid).filter((rs) => !isTerminating(rs));
    const template = deployment.spec?.template ?? {};
    let newReplicaSet = owned.find((replicaSet) => sameTemplate(replicaSet.spec?.template, template));
    const old = owned.filter((replicaSet) => replicaSet !== newReplicaSet).sort(byRevision);
    const paused = deployment.spec?.paused === true;
    const bounds = rolloutBounds(deployment);
    if (!paused) newReplicaSet = this.ensureNewReplicaSet(deployment, newReplicaSet, old, bounds);
    const replicas = deployment.spec?.replicas ?? 1;
    if (newReplicaSet !== undefined && !paused) {
      if (deployment.spec?.strategy?.type === 'Recreate') this.recreate(key, newReplicaSet, old, replicas);
      else this.rollingUpdate(newReplicaSet, old, replicas, bounds);
    } else if (newReplicaSet !== undefined && old.every((replicaSet) => replicas0(replicaSet))) {
      // Paused, nothing rolling: scaling still applies.
      this.scale(newReplicaSet, replicas);
    }
    this.writeStatus(key, bounds);
  }

  /** Finds or creates the ReplicaSet of the current template and keeps its revision the newest. */
  private ensureNewReplicaSet(
    deployment: Json,
    existing: Json | undefined,
    old: readonly Json[],
    bounds: RolloutBounds,
  ): Json {
    const maxOldRevision = Math.max(0, ...old.map(revisionOf));
    const revision = String(maxOldRevision + 1);
    const replicas = deployment.spec?.replicas ?? 1;
    const annotations = {
      ...existing?.metadata.annotations,
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + bounds.maxSurge),
      // A rollback makes an old ReplicaSet new again: it takes the next revision.
      [revisionAnnotation]:
        existing !== undefined && revisionOf(existing) > maxOldRevision
          ? String(revisionOf(existing))
          : revision,
    };
    let replicaSet = existing;
    if (replicaSet === undefined) replicaSet = this.createReplicaSet(deployment, annotations, old, bounds);
    else if (!sameAnnotations(replicaSet.metadata.annotations, annotations)) {
      replicaSet = this.access.replace('replicasets', {
        ...replicaSet,
        metadata: { ...replicaSet.metadata, annotations },
      });
    }
    const deploymentRevision = replicaSet.metadata.annotations[revisionAnnotation];
    if (deployment.metadata.annotations?.[revisionAnnotation] !== deploymentRevision) {
      this.access.replace('deployments', {
        ...deployment,
        metadata: {
          ...deployment.metadata,
          annotations: { ...deployment.metadata.annotations, [revisionAnnotation]: deploymentRevision },
        },
      });
    }
    return replicaSet;
  }

  private createReplicaSet(
    deployment: Json,
    annotations: Record<string, string>,
    old: readonly Json[],
    bounds: RolloutBounds,
  ): Json {
    const { namespace, name } = deployment.metadata;
    const template = withoutHashLabel(deployment.spec?.template);
    let collisionCount = deployment.status?.collisionCount ?? 0;
    let hash = podTemplateHash(template, collisionCount);
    // A ReplicaSet of that name that is not ours (or has another template): hash again, as the real
    // controller does with `status.collisionCount`.
    while (this.access.has('replicasets', `${namespace}/${name}-${hash}`)) {
      collisionCount += 1;
      hash = podTemplateHash(template, collisionCount);
    }
    const labels = { ...template.metadata?.labels, [podTemplateHashLabel]: hash };
    const replicas = deployment.spec?.replicas ?? 1;
    const current = old.reduce((total, replicaSet) => total + (replicaSet.spec?.replicas ?? 0), 0);
    const initial =
      deployment.spec?.strategy?.type === 'Recreate'
        ? 0
        : Math.max(0, Math.min(replicas, replicas + bounds.maxSurge - current));
    return this.access.create('replicasets', {
      metadata: {
        name: `${name}-${hash}`,
        namespace,
        labels,
        annotations,
        ownerReferences: [controllerReference(deployment, 'apps/v1', 'Deployment')],
      },
      spec: {
        replicas: initial,
        minReadySeconds: deployment.spec?.minReadySeconds ?? 0,
        selector: {
          ...deployment.spec?.selector,
          matchLabels: { ...deployment.spec?.selector?.matchLabels, [podTemplateHashLabel]: hash },
        },
        template: { ...template, metadata: { ...template.metadata, labels } },
      },
    });
  }

  private rollingUpdate(newReplicaSet: Json, old: readonly Json[], replicas: number, bounds: RolloutBounds) {
    // Scale the new ReplicaSet up within the surge.
    const all = [newReplicaSet, ...old];
    const desired = newReplicaSet.spec?.replicas ?? 0;
    if (desired > replicas) this.scale(newReplicaSet, replicas);
    else if (desired < replicas) {
      const total = all.reduce((sum, replicaSet) => sum + (replicaSet.spec?.replicas ?? 0), 0);
      const room = replicas + bounds.maxSurge - total;
      if (room > 0) this.scale(newReplicaSet, desired + Math.min(room, replicas - desired));
    }
    // Scale old ones down as far as availability allows.
    const current = this.current([newReplicaSet, ...old]);
    const [next, ...olds] = current;
    if (olds.every(replicas0)) return;
    const minAvailable = replicas - bounds.maxUnavailable;
    const specTotal = current.reduce((sum, replicaSet) => sum + (replicaSet.spec?.replicas ?? 0), 0);
    const newUnavailable = (next.spec?.replicas ?? 0) - (next.status?.availableReplicas ?? 0);
    let allowed = specTotal - minAvailable - Math.max(0, newUnavailable);
    if (allowed <= 0) return;
    // Unavailable old pods go first: removing them costs no availability.
    for (const replicaSet of olds) {
      if (allowed <= 0) break;
      const unhealthy = (replicaSet.spec?.replicas ?? 0) - (replicaSet.status?.availableReplicas ?? 0);
      if (unhealthy <= 0) continue;
      const down = Math.min(allowed, unhealthy);
      this.scale(replicaSet, (replicaSet.spec?.replicas ?? 0) - down);
      allowed -= down;
    }
    const refreshed = this.current(current);
    const available = refreshed.reduce(
      (sum, replicaSet) => sum + (replicaSet.status?.availableReplicas ?? 0),
      0,
    );
    let budget = Math.min(allowed, available - minAvailable);
    for (const replicaSet of refreshed.slice(1)) {
      if (budget <= 0) break;
      const down = Math.min(budget, replicaSet.spec?.replicas ?? 0);
      if (down === 0) continue;
      this.scale(replicaSet, (replicaSet.spec?.replicas ?? 0) - down);
      budget -= down;
    }
  }

  /** `Recreate`: every old pod gone before the new ReplicaSet scales up. */
  private recreate(key: string, newReplicaSet: Json, old: readonly Json[], replicas: number): void {
    for (const replicaSet of old) this.scale(replicaSet, 0);
    if (!this.oldPodsRunning(old)) this.scale(newReplicaSet, replicas);
    // A terminating pod going away changes no ReplicaSet: look again until they are all gone.
    else this.queue.after(key, 1_000);
  }

  /**
   * Whether a pod of the old ReplicaSets still runs, terminating ones included (as the real controller
   * waits for them). A scan of every pod: `Recreate` rollouts are rare, and the pod index is the
   * ReplicaSet controller's.
   */
  private oldPodsRunning(old: readonly Json[]): boolean {
    if (old.some((replicaSet) => (replicaSet.status?.replicas ?? 0) > 0)) return true;
    const uids = new Set(old.map((replicaSet) => replicaSet.metadata.uid));
    if (uids.size === 0) return false;
    for (const pod of this.access.all('pods')) {
      if (uids.has(controllerOf(pod)?.uid) && !hasFinished(pod)) {
        return true;
      }
    }
    return false;
  }

  private scale(replicaSet: Json, replicas: number): void {
    if ((replicaSet.spec?.replicas ?? 0) === replicas) return;
    this.access.replace('replicasets', { ...replicaSet, spec: { ...replicaSet.spec, replicas } });
  }

  /** The stored state of each ReplicaSet now (after this pass's own writes). */
  private current(replicaSets: readonly Json[]): Json[] {
    return replicaSets
      .map((replicaSet) => this.access.get('replicasets', keyOf(replicaSet)))
      .filter((replicaSet): replicaSet is Json => replicaSet !== undefined);
  }

  private writeStatus(key: string, bounds: RolloutBounds): void {
    const deployment = this.access.get('deployments', key);
    if (deployment === undefined) return;
    const owned = this.controlled.dependents(deployment.metadata.uid).filter((rs) => !isTerminating(rs));
    const template = deployment.spec?.template ?? {};
    const newReplicaSet = owned.find((replicaSet) => sameTemplate(replicaSet.spec?.template, template));
    const status = deploymentStatus(deployment, newReplicaSet, owned, bounds, this.access.timestamp());
    if (deployment.status?.collisionCount !== undefined)
      status.collisionCount = deployment.status.collisionCount;
    if (statusChanged(deployment, status)) this.access.writeStatus('deployments', deployment, status);
    if (rolloutComplete(deployment, status)) this.cleanUpHistory(deployment, owned, newReplicaSet);
  }

  /** Deletes the oldest scaled-down ReplicaSets beyond `revisionHistoryLimit` (default 10). */
  private cleanUpHistory(deployment: Json, owned: readonly Json[], newReplicaSet: Json | undefined): void {
    const limit = deployment.spec?.revisionHistoryLimit ?? 10;
    const idle = owned
      .filter((replicaSet) => replicaSet !== newReplicaSet && replicas0(replicaSet))
      .filter((replicaSet) => (replicaSet.status?.replicas ?? 0) === 0)
      .sort(byRevision);
    for (const replicaSet of idle.slice(0, Math.max(0, idle.length - limit))) {
      this.access.delete('replicasets', replicaSet);
    }
  }
}

function replicas0(replicaSet: Json): boolean {
  return (replicaSet.spec?.replicas ?? 0) === 0;
}

/** Oldest first: by revision, then creation. */
function byRevision(left: Json, right: Json): number {
  return (
    revisionOf(left) - revisionOf(right) ||
    (Date.parse(left.metadata.creationTimestamp) || 0) - (Date.parse(right.metadata.creationTimestamp) || 0)
  );
}

function sameAnnotations(left: Record<string, string> | undefined, right: Record<string, string>): boolean {
  const leftKeys = Object.keys(left ?? {});
  return leftKeys.length === Object.keys(right).length && leftKeys.every((key) => left?.[key] === right[key]);
}
