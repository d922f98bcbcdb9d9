import type { ClusterAccess, Json } from './cluster-access.js';
import { keyOf } from './cluster-access.js';
import { PodAddressPool } from './pod-address-pool.js';
import { controllerOf, hasFinished, isReady, isTerminating } from './pod-state.js';
import { podStatus } from './pod-status-builder.js';
import { ReconcileQueue } from './reconcile-queue.js';

export interface KubeletTimings {
  /** From binding to `Running` (image pull and container start); the pod shows `ContainerCreating` meanwhile. */
  readonly podStartupMs: number;
  /** How long a Job's pod runs before it succeeds. */
  readonly jobDurationMs: number;
}

/**
 * The kubelets of every node, simulated: a pod bound to a healthy node shows `ContainerCreating`, runs
 * after `podStartupMs` with an IP from the node's pod CIDR (host-network pods: the node's IP), becomes
 * Ready once the readiness probe's `initialDelaySeconds` has passed, and (a Job's pod) succeeds after
 * `jobDurationMs`. A pod deleted with a grace period is removed when that period has passed. Pods that
 * were already running when the simulation started are left as they are. Nodes in `failedNodes` do
 * nothing.
 */
export class Kubelet {
  private readonly queue: ReconcileQueue;
  private readonly addresses = new PodAddressPool();
  /** When each pod entered its current simulated step, on the clock (ms). */
  private readonly since = new Map<string, { step: string; at: number }>();
  /** Pods this simulation started (the ones it drives to Running). */
  private readonly started = new Set<string>();

  constructor(
    private readonly access: ClusterAccess,
    private readonly timings: KubeletTimings,
    private readonly failedNodes: ReadonlySet<string>,
  ) {
    this.queue = new ReconcileQueue(
      access.clock,
      (key) => this.reconcile(key),
      (key, error) => access.reportError('Kubelet', key, error),
    );
    for (const pod of access.all('pods')) {
      if (pod.spec?.nodeName)
        this.addresses.reserve(pod.spec.nodeName, pod.spec.hostNetwork ? undefined : pod.status?.podIP);
      if (pod.spec?.nodeName && pod.status?.phase === 'Pending') this.started.add(keyOf(pod));
      if (pod.spec?.nodeName) this.queue.add(keyOf(pod));
    }
    access.onChange('pods', ({ type, object, key }) => {
      if (type === 'DELETED') {
        this.forget(key, object);
        return;
      }
      if (object.spec?.nodeName) this.queue.add(key);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  /** Looks at every pod of `nodeName` again (after the node recovered). */
  resync(nodeName: string): void {
    for (const pod of this.access.all('pods'))
      if (pod.spec?.nodeName === nodeName) this.queue.add(keyOf(pod));
  }

  /**
   * The grace period of a pod delete, as the API server's pod strategy decides it: the request's, else
   * the pod's `terminationGracePeriodSeconds` (30); unbound or finished pods go at once.
   */
  gracePeriod(pod: Json, requested: number | undefined): number {
    if (!pod.spec?.nodeName || hasFinished(pod)) return 0;
    const grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, grace);
  }

  private forget(key: string, pod: Json): void {
    this.since.delete(key);
    this.started.delete(key);
    if (pod.spec?.nodeName && !pod.spec.hostNetwork)
      this.addresses.release(pod.spec.nodeName, pod.status?.podIP);
  }

  /** Milliseconds since the pod entered `step` (0 when it enters it now). */
  private elapsed(key: string, step: string): number {
    const now = this.access.clock.now();
    const current = this.since.get(key);
    if (current?.step === step) return now - current.at;
    this.since.set(key, { step, at: now });
    return 0;
  }

  private reconcile(key: string): void {
    const pod = this.access.get('pods', key);
    const nodeName: string | undefined = pod?.spec?.nodeName;
    if (pod === undefined || !nodeName || this.failedNodes.has(nodeName)) return;
    if (isTerminating(pod)) {
      const remaining =
        (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000 -
        this.elapsed(key, `terminating:${pod.metadata.deletionTimestamp}`);
      if (remaining > 0) this.queue.after(key, remaining);
      else this.access.delete('pods', pod, { gracePeriodSeconds: 0 });
      return;
    }
    if (hasFinished(pod)) return;
    const node = this.access.get('nodes', nodeName);
    if (node === undefined) return;
    const phase = pod.status?.phase ?? 'Pending';
    if (phase === 'Pending') {
      this.started.add(key);
      const waited = this.elapsed(key, 'creating');
      if (!showsContainerCreating(pod)) {
        this.write(
          pod,
          podStatus(pod, 'creating', {
            ready: false,
            hostIP: internalIP(node),
            podIP: undefined,
            at: this.access.timestamp(),
          }),
        );
      }
      if (waited < this.timings.podStartupMs) {
        this.queue.after(key, this.timings.podStartupMs - waited);
        return;
      }
      const podIP = pod.spec?.hostNetwork ? internalIP(node) : this.addresses.allocate(node);
      this.write(
        pod,
        podStatus(pod, 'running', {
          ready: readinessDelayMs(pod) === 0,
          hostIP: internalIP(node),
          podIP,
          at: this.access.timestamp(),
        }),
      );
      this.since.set(key, { step: 'running', at: this.access.clock.now() });
      this.queue.after(
        key,
        Math.min(readinessDelayMs(pod) || Number.POSITIVE_INFINITY, this.jobDuration(pod)),
      );
      return;
    }
    if (phase !== 'Running' || !this.started.has(key)) return;
    const running = this.elapsed(key, 'running');
    const base = { hostIP: pod.status?.hostIP, podIP: pod.status?.podIP, at: this.access.timestamp() };
    if (running >= this.jobDuration(pod)) {
      this.write(pod, podStatus(pod, 'completed', { ...base, ready: false }));
      return;
    }
    const delay = readinessDelayMs(pod);
    if (!isReady(pod) && running >= delay)
      this.write(pod, podStatus(pod, 'running', { ...base, ready: true }));
    else if (!isReady(pod)) this.queue.after(key, delay - running);
    const untilDone = this.jobDuration(pod) - running;
    if (Number.isFinite(untilDone)) this.queue.after(key, untilDone);
  }

  private jobDuration(pod: Json): number {
    return controllerOf(pod)?.kind === 'Job' ? this.timings.jobDurationMs : Number.POSITIVE_INFINITY;
  }

  private write(pod: Json, status: Json): void {
    this.access.writeStatus('pods', pod, status);
  }
}

function showsContainerCreating(pod: Json): boolean {
  const statuses: Json[] = pod.status?.containerStatuses ?? [];
  return (
    statuses.length > 0 && statuses.every((status) => status.state?.waiting?.reason === 'ContainerCreating')
  );
}

function internalIP(node: Json): string | undefined {
  return (node.status?.addresses ?? []).find((address: Json) => address.type === 'InternalIP')?.address;
}

/** The longest `initialDelaySeconds` of the containers' readiness probes, in ms (0 without probes). */
function readinessDelayMs(pod: Json): number {
  let delay = 0;
  for (const container of pod.spec?.containers ?? []) {
    delay = Math.max(delay, (container.readinessProbe?.initialDelaySeconds ?? 0) * 1000);
  }
  return delay;
}
