import type { ClusterAccess, Json } from './cluster-access.js';
import { keyOf } from './cluster-access.js';
import { ControlledIndex } from './controlled-index.js';
import { controllerReference, isActive, isReady, isTerminating } from './pod-state.js';
import { ReconcileQueue } from './reconcile-queue.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * The Job controller, for Jobs that succeed: runs `parallelism` pods at a time (default 1) until
 * `completions` (default 1) have succeeded, then marks the Job `Complete` (with `SuccessCriteriaMet`) and
 * sets `completionTime`. The simulated kubelet decides when a Job's pod succeeds. Failures, indexed
 * completion and `suspend` are not simulated.
 */
export class JobController {
  private readonly queue: ReconcileQueue;
  private readonly pods: ControlledIndex;

  constructor(
    private readonly access: ClusterAccess,
    private readonly random: SeededRandom,
  ) {
    this.queue = new ReconcileQueue(
      access.clock,
      (key) => this.reconcile(key),
      (key, error) => access.reportError('JobController', key, error),
    );
    this.pods = new ControlledIndex(access, 'pods', 'Job', (owner) => this.queue.add(owner));
    access.onChange('jobs', ({ type, key }) => {
      if (type !== 'DELETED') this.queue.add(key);
    });
    for (const job of access.all('jobs')) this.queue.add(keyOf(job));
  }

  stop(): void {
    this.queue.stop();
  }

  private reconcile(key: string): void {
    const job = this.access.get('jobs', key);
    if (job === undefined || isTerminating(job)) return;
    const conditions: Json[] = job.status?.conditions ?? [];
    if (conditions.some((condition) => condition.type === 'Complete' && condition.status === 'True')) return;
    const completions = job.spec?.completions ?? 1;
    const parallelism = job.spec?.parallelism ?? 1;
    const pods = this.pods.dependents(job.metadata.uid);
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
    const current = this.pods.dependents(job.metadata.uid).filter(isActive);
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
    const { namespace, name, uid } = job.metadata;
    const template = job.spec?.template ?? {};
    let podName: string;
    do podName = `${name}-${this.random.suffix()}`;
    while (this.access.has('pods', `${namespace}/${podName}`));
    const labels = {
      ...template.metadata?.labels,
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    this.access.create('pods', {
      metadata: {
        ...template.metadata,
        name: podName,
        generateName: `${name}-`,
        namespace,
        labels,
        ownerReferences: [controllerReference(job, 'batch/v1', 'Job')],
      },
      spec: { restartPolicy: 'Never', ...template.spec },
    });
  }
}
