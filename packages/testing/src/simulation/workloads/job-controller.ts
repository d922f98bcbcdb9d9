import type { ClusterAccess, Json } from '../cluster-access.js';
import { controllerReference, isActive, isReady, isTerminating } from '../pod-state.js';
import type { SeededRandom } from '../seeded-random.js';
import { createOwnedPod } from './owned-pod.js';
import { OwnerController } from './owner-controller.js';

/**
 * The Job controller, for Jobs that succeed: runs `parallelism` pods at a time (default 1) until
 * `completions` (default 1) have succeeded, then marks the Job `Complete` (with `SuccessCriteriaMet`) and
 * sets `completionTime`. The simulated kubelet decides when a Job's pod succeeds. Failures, indexed
 * completion and `suspend` are not simulated.
 */
export class JobController extends OwnerController {
  constructor(
    access: ClusterAccess,
    private readonly random: SeededRandom,
  ) {
    super(access, { name: 'JobController', owners: 'jobs', ownerKind: 'Job', controlled: 'pods' });
  }

  protected reconcile(key: string): void {
    const job = this.access.get('jobs', key);
    if (job === undefined || isTerminating(job)) return;
    const conditions: Json[] = job.status?.conditions ?? [];
    if (conditions.some((condition) => condition.type === 'Complete' && condition.status === 'True')) return;
    const completions = job.spec?.completions ?? 1;
    const parallelism = job.spec?.parallelism ?? 1;
    const pods = this.controlled.dependents(job.metadata.uid);
    const succeeded = pods.filter((pod) => pod.status?.phase === 'Succeeded').length;
    const active = pods.filter(isActive);
    const at = this.access.timestamp();
    const startTime = job.status?.startTime ?? at;
    if (succeeded >= completions) {
      const condition = (type: string, reason: string, message: string) => ({
        type,
        status: 'True',
        lastProbeTime: at,
        lastTransitionTime: at,
        reason,
        message,
      });
      this.access.writeStatus('jobs', job, {
        startTime,
        completionTime: at,
        succeeded,
        active: 0,
        ready: 0,
        terminating: 0,
        conditions: [
          condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'),
          condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
        ],
      });
      return;
    }
    const wanted = Math.min(parallelism, completions - succeeded);
    for (let index = active.length; index < wanted; index += 1) this.createPod(job);
    const current = this.controlled.dependents(job.metadata.uid).filter(isActive);
    const status = {
      ...job.status,
      startTime,
      active: current.length,
      ready: current.filter(isReady).length,
      succeeded,
      terminating: pods.filter(isTerminating).length,
    };
    const unchanged = ['startTime', 'active', 'ready', 'succeeded', 'terminating'].every(
      (field) => job.status?.[field] === status[field as keyof typeof status],
    );
    if (!unchanged) this.access.writeStatus('jobs', job, status);
  }

  private createPod(job: Json): void {
    const { name, uid } = job.metadata;
    const template = job.spec?.template ?? {};
    createOwnedPod(this.access, this.random, job, {
      reference: controllerReference(job, 'batch/v1', 'Job'),
      labels: {
        ...template.metadata?.labels,
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': name,
        'controller-uid': uid,
        'job-name': name,
      },
      spec: { restartPolicy: 'Never', ...template.spec },
    });
  }
}
