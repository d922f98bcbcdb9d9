import type { ClusterAccess, Json } from './cluster-access.js';
import { keyOf } from './cluster-access.js';
import { tolerationMatches } from './scheduler.js';

const leaseNamespace = 'kube-node-lease';
const leaseDurationSeconds = 40;
const unreachableTaint = 'node.kubernetes.io/unreachable';
// What the DefaultTolerationSeconds admission plugin gives pods that do not say.
const defaultTolerationSeconds = 300;

/**
 * Node heartbeats and failures: every healthy node renews its Lease in `kube-node-lease` every
 * `renewIntervalMs`. `fail(name)` does what the node lifecycle controller does when a kubelet stops
 * reporting: the node's Ready condition goes `Unknown` (NotReady), it is tainted
 * `node.kubernetes.io/unreachable:NoExecute`, its pods turn `Unknown` and not ready, and each is evicted
 * (deleted at once: the node's kubelet cannot finish a graceful delete) once its toleration of the taint
 * runs out (300 s unless the pod says otherwise). `recover(name)` undoes it: the pods still there report their earlier status again.
 */
export class NodeLifecycle {
  private renewal: { cancel(): void } | undefined;
  private readonly evictions = new Map<string, { cancel(): void }[]>();
  /** The status of each pod of a failed node before it turned Unknown, by uid. */
  private readonly beforeFailure = new Map<string, Json>();

  constructor(
    private readonly access: ClusterAccess,
    private readonly failedNodes: Set<string>,
    private readonly renewIntervalMs: number,
    private readonly onRecovered: (nodeName: string) => void,
  ) {
    this.renewAll();
  }

  stop(): void {
    this.renewal?.cancel();
    for (const timers of this.evictions.values()) for (const timer of timers) timer.cancel();
    this.evictions.clear();
  }

  fail(nodeName: string): void {
    const node = this.access.get('nodes', nodeName);
    if (node === undefined) throw new Error(`no node named ${JSON.stringify(nodeName)}`);
    if (this.failedNodes.has(nodeName)) return;
    this.failedNodes.add(nodeName);
    const at = this.access.timestamp();
    const message = 'Kubelet stopped posting node status.';
    const conditions = (node.status?.conditions ?? []).map((condition: Json) =>
      condition.type === 'Ready'
        ? { ...condition, status: 'Unknown', reason: 'NodeStatusUnknown', message, lastTransitionTime: at }
        : condition,
    );
    const taint = { key: unreachableTaint, effect: 'NoExecute', timeAdded: at };
    const taints = [
      ...(node.spec?.taints ?? []).filter((entry: Json) => entry.key !== unreachableTaint),
      taint,
    ];
    this.access.replace('nodes', {
      ...node,
      spec: { ...node.spec, taints },
      status: { ...node.status, conditions },
    });
    const timers: { cancel(): void }[] = [];
    for (const pod of [...this.access.all('pods')]) {
      if (pod.spec?.nodeName !== nodeName) continue;
      this.markUnknown(pod, at);
      const seconds = tolerationSeconds(pod, taint);
      if (seconds === undefined) continue;
      const key = keyOf(pod);
      const uid = pod.metadata.uid;
      timers.push(
        this.access.clock.setTimeout(() => {
          const current = this.access.get('pods', key);
          this.beforeFailure.delete(uid);
          if (current?.metadata.uid === uid) this.access.delete('pods', current, { gracePeriodSeconds: 0 });
        }, seconds * 1000),
      );
    }
    this.evictions.set(nodeName, timers);
  }

  recover(nodeName: string): void {
    if (!this.failedNodes.delete(nodeName)) return;
    for (const timer of this.evictions.get(nodeName) ?? []) timer.cancel();
    this.evictions.delete(nodeName);
    const node = this.access.get('nodes', nodeName);
    if (node !== undefined) {
      const at = this.access.timestamp();
      const conditions = (node.status?.conditions ?? []).map((condition: Json) =>
        condition.type === 'Ready'
          ? {
              ...condition,
              status: 'True',
              reason: 'KubeletReady',
              message: 'kubelet is posting ready status',
              lastTransitionTime: at,
            }
          : condition,
      );
      const taints = (node.spec?.taints ?? []).filter((entry: Json) => entry.key !== unreachableTaint);
      const spec = { ...node.spec, taints };
      if (taints.length === 0) delete spec.taints;
      this.access.replace('nodes', { ...node, spec, status: { ...node.status, conditions } });
    }
    const at = this.access.timestamp();
    for (const pod of [...this.access.all('pods')]) {
      if (pod.spec?.nodeName !== nodeName || pod.status?.phase !== 'Unknown') continue;
      // The kubelet reports its pods again as they were (their containers kept running).
      const before = this.beforeFailure.get(pod.metadata.uid);
      this.beforeFailure.delete(pod.metadata.uid);
      if (before === undefined) continue;
      const conditions = (pod.status?.conditions ?? []).map((condition: Json) => {
        const previous = before.conditions?.find((entry: Json) => entry.type === condition.type);
        return previous === undefined || previous.status === condition.status
          ? condition
          : { ...previous, lastTransitionTime: at };
      });
      this.access.writeStatus('pods', pod, { ...pod.status, phase: before.phase, conditions });
    }
    this.onRecovered(nodeName);
    this.renewAll(false);
  }

  private markUnknown(pod: Json, at: string): void {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    this.beforeFailure.set(pod.metadata.uid, pod.status ?? {});
    const conditions = (pod.status?.conditions ?? []).map((condition: Json) =>
      condition.type === 'Ready' || condition.type === 'ContainersReady'
        ? { ...condition, status: 'False', reason: 'NodeLost', lastTransitionTime: at }
        : condition,
    );
    this.access.writeStatus('pods', pod, { ...pod.status, phase: 'Unknown', conditions });
  }

  /** Renews (or creates) the Lease of every healthy node, then schedules the next round. */
  private renewAll(schedule = true): void {
    const renewTime = this.access.now().toISOString().replace(/Z$/, '000Z');
    for (const node of this.access.all('nodes')) {
      const name = node.metadata.name;
      if (this.failedNodes.has(name)) continue;
      const lease = this.access.get('leases', `${leaseNamespace}/${name}`);
      if (lease === undefined) {
        this.access.create('leases', {
          metadata: {
            name,
            namespace: leaseNamespace,
            ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }],
          },
          spec: { holderIdentity: name, leaseDurationSeconds, renewTime },
        });
      } else {
        this.access.replace('leases', { ...lease, spec: { ...lease.spec, renewTime } });
      }
    }
    if (schedule) this.renewal = this.access.clock.setTimeout(() => this.renewAll(), this.renewIntervalMs);
  }
}

/**
 * Seconds the pod tolerates the taint: its matching toleration's `tolerationSeconds`, `undefined`
 * (forever) for a matching toleration without one, and the admission default when none matches.
 */
function tolerationSeconds(pod: Json, taint: Json): number | undefined {
  const matching = (pod.spec?.tolerations ?? []).filter((toleration: Json) =>
    tolerationMatches(toleration, taint),
  );
  if (matching.length === 0) return defaultTolerationSeconds;
  const bounded = matching.filter((toleration: Json) => toleration.tolerationSeconds !== undefined);
  if (bounded.length < matching.length) return undefined;
  return Math.max(0, Math.min(...bounded.map((toleration: Json) => toleration.tolerationSeconds)));
}
