import type { ClusterAccess, Json } from './cluster-access.js';
import { keyOf } from './cluster-access.js';
import { hasFinished, isTerminating } from './pod-state.js';
import { ReconcileQueue } from './reconcile-queue.js';
import { parseQuantity } from './resource-quantity.js';
import type { SeededRandom } from './seeded-random.js';

// Unschedulable pods are tried again this often (and whenever a node changes).
const retryMs = 5_000;

interface NodeUsage {
  cpu: number;
  memory: number;
  pods: number;
}

/**
 * The scheduler: binds each pending pod (no `spec.nodeName`, `schedulerName` default) to a Ready,
 * schedulable node whose labels match `nodeSelector`, whose `NoSchedule`/`NoExecute` taints the pod
 * tolerates and whose allocatable CPU, memory and pod count fit the pod's requests; among those, the
 * least requested node wins, ties broken by the seeded random generator, so a seed replays the same
 * placement. A pod that fits nowhere gets `PodScheduled=False` (`Unschedulable`) and is tried again.
 */
export class Scheduler {
  private readonly queue: ReconcileQueue;
  private readonly usage = new Map<string, NodeUsage>();
  private readonly unschedulable = new Set<string>();
  // Parsed allocatable quantities per node, valid while the node's object is the same.
  private readonly capacities = new WeakMap<Json, NodeUsage>();
  private readonly schedulable = new WeakMap<Json, boolean>();
  private nodeList: Json[] | undefined;
  private nextStart = 0;

  constructor(
    private readonly access: ClusterAccess,
    private readonly random: SeededRandom,
  ) {
    this.queue = new ReconcileQueue(
      access.clock,
      (key) => this.schedule(key),
      (key, error) => access.reportError('Scheduler', key, error),
    );
    for (const pod of access.all('pods')) {
      this.account(pod, 1);
      if (needsNode(pod)) this.queue.add(keyOf(pod));
    }
    access.onChange('pods', ({ type, object, previous, key }) => {
      if (previous !== undefined) this.account(previous, -1);
      if (type !== 'DELETED') this.account(object, 1);
      if (type !== 'DELETED' && needsNode(object)) this.queue.add(key);
      else this.unschedulable.delete(key);
      // Room freed on a node: pods waiting for room may fit now.
      if (
        type === 'DELETED' ||
        (!holdsResources(object) && previous !== undefined && holdsResources(previous))
      ) {
        this.retryUnschedulable(0);
      }
    });
    access.onChange('nodes', () => {
      this.nodeList = undefined;
      this.retryUnschedulable(0);
    });
  }

  stop(): void {
    this.queue.stop();
  }

  private retryUnschedulable(delayMs: number): void {
    for (const key of this.unschedulable) this.queue.after(key, delayMs);
  }

  private account(pod: Json, sign: 1 | -1): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || !holdsResources(pod)) return;
    let usage = this.usage.get(nodeName);
    if (usage === undefined) {
      usage = { cpu: 0, memory: 0, pods: 0 };
      this.usage.set(nodeName, usage);
    }
    const requests = podRequests(pod);
    usage.cpu += sign * requests.cpu;
    usage.memory += sign * requests.memory;
    usage.pods += sign;
  }

  private schedule(key: string): void {
    const pod = this.access.get('pods', key);
    if (pod === undefined || !needsNode(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    const requests = podRequests(pod);
    let best: Json[] = [];
    let bestScore = Number.POSITIVE_INFINITY;
    const nodes = this.nodes();
    const selector = Object.entries(pod.spec?.nodeSelector ?? {});
    const tolerations: Json[] = pod.spec?.tolerations ?? [];
    const wanted = feasibleNodesToFind(nodes.length);
    let feasible = 0;
    const start = this.nextStart % Math.max(1, nodes.length);
    for (let offset = 0; offset < nodes.length && feasible < wanted; offset += 1) {
      const node = nodes[(start + offset) % nodes.length];
      if (!this.open(node) || !matches(node, selector, tolerations)) continue;
      const usage = this.usage.get(node.metadata.name) ?? { cpu: 0, memory: 0, pods: 0 };
      const { cpu, memory, pods } = this.allocatable(node);
      if (usage.pods + 1 > pods) continue;
      if (requests.cpu > 0 && usage.cpu + requests.cpu > cpu) continue;
      if (requests.memory > 0 && usage.memory + requests.memory > memory) continue;
      feasible += 1;
      // Least requested: the fuller of CPU and memory share after placing the pod, then pod count.
      const score =
        Math.max(
          cpu > 0 ? (usage.cpu + requests.cpu) / cpu : 0,
          memory > 0 ? (usage.memory + requests.memory) / memory : 0,
        ) +
        (usage.pods + 1) / (pods * 1000);
      if (score < bestScore - 1e-12) {
        bestScore = score;
        best = [node];
      } else if (Math.abs(score - bestScore) <= 1e-12) best.push(node);
    }
    if (best.length === 0) {
      this.markUnschedulable(pod);
      this.unschedulable.add(key);
      this.queue.after(key, retryMs);
      return;
    }
    // The next pod's search starts where this one's ended, as kube-scheduler's does.
    this.nextStart = start + nodes.length;
    const chosen = best[this.random.below(best.length)];
    this.unschedulable.delete(key);
    this.bind(pod, chosen.metadata.name);
  }

  /** The nodes in name order (so the search order, and with it the placement, is reproducible). */
  private nodes(): Json[] {
    this.nodeList ??= [...this.access.all('nodes')].sort((left, right) =>
      left.metadata.name < right.metadata.name ? -1 : 1,
    );
    return this.nodeList;
  }

  /** Readiness and cordon, cached per stored node object (a node's change replaces the object). */
  private open(node: Json): boolean {
    let open = this.schedulable.get(node);
    if (open === undefined) {
      open = node.spec?.unschedulable !== true && nodeReady(node);
      this.schedulable.set(node, open);
    }
    return open;
  }

  private allocatable(node: Json): NodeUsage {
    let capacity = this.capacities.get(node);
    if (capacity === undefined) {
      const allocatable = node.status?.allocatable ?? {};
      capacity = {
        cpu: parseQuantity(allocatable.cpu ?? '0'),
        memory: parseQuantity(allocatable.memory ?? '0'),
        pods: parseQuantity(allocatable.pods ?? '110'),
      };
      this.capacities.set(node, capacity);
    }
    return capacity;
  }

  private bind(pod: Json, nodeName: string): void {
    const conditions = (pod.status?.conditions ?? []).filter(
      (condition: Json) => condition.type !== 'PodScheduled',
    );
    this.access.replace('pods', {
      ...pod,
      spec: { ...pod.spec, nodeName },
      status: {
        ...pod.status,
        conditions: [
          ...conditions,
          {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: this.access.timestamp(),
          },
        ],
      },
    });
  }

  private markUnschedulable(pod: Json): void {
    const existing = (pod.status?.conditions ?? []).find(
      (condition: Json) => condition.type === 'PodScheduled',
    );
    if (existing?.reason === 'Unschedulable') return;
    const conditions = (pod.status?.conditions ?? []).filter(
      (condition: Json) => condition.type !== 'PodScheduled',
    );
    this.access.writeStatus('pods', pod, {
      ...pod.status,
      phase: 'Pending',
      conditions: [
        ...conditions,
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: this.access.timestamp(),
          reason: 'Unschedulable',
          message: '0/N nodes are available: no node fits the pod (simulated scheduler).',
        },
      ],
    });
  }
}

/** Waiting for this scheduler: unbound, not being deleted, not finished, default scheduler. */
function needsNode(pod: Json): boolean {
  const schedulerName = pod.spec?.schedulerName ?? 'default-scheduler';
  return (
    !pod.spec?.nodeName && schedulerName === 'default-scheduler' && !isTerminating(pod) && !hasFinished(pod)
  );
}

function holdsResources(pod: Json): boolean {
  return !hasFinished(pod);
}

function podRequests(pod: Json): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const container of pod.spec?.containers ?? []) {
    cpu += parseQuantity(container.resources?.requests?.cpu ?? 0);
    memory += parseQuantity(container.resources?.requests?.memory ?? 0);
  }
  return { cpu, memory };
}

/**
 * How many feasible nodes to score before choosing, as kube-scheduler's `percentageOfNodesToScore`
 * adapts it: every node in small clusters, then a share falling from 50% (at least 100 nodes, 5%).
 */
function feasibleNodesToFind(nodes: number): number {
  if (nodes < 100) return nodes;
  const percentage = Math.max(5, 50 - nodes / 125);
  return Math.max(100, Math.floor((nodes * percentage) / 100));
}

/** The filters of the pod's own spec: node selector, taints (readiness and cordon are checked first). */
function matches(node: Json, selector: readonly [string, unknown][], tolerations: readonly Json[]): boolean {
  if (selector.length > 0) {
    const labels = node.metadata.labels ?? {};
    for (const [key, value] of selector) if (labels[key] !== value) return false;
  }
  const taints: Json[] | undefined = node.spec?.taints;
  if (taints === undefined) return true;
  return taints.every((taint) => taint.effect === 'PreferNoSchedule' || tolerates(tolerations, taint));
}

export function nodeReady(node: Json): boolean {
  return (node.status?.conditions ?? []).some(
    (condition: Json) => condition.type === 'Ready' && condition.status === 'True',
  );
}

/** Whether some toleration matches the taint (key, value, effect; `Exists` and an empty key match all). */
export function tolerates(tolerations: readonly Json[], taint: Json): boolean {
  return tolerations.some((toleration) => tolerationMatches(toleration, taint));
}

export function tolerationMatches(toleration: Json, taint: Json): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}
