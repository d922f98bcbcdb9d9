/**
 * What `FakeApiServer.start({ simulate })` runs: `true` for everything, or the parts a test wants. Each
 * part is independent (a test of its own ReplicaSet logic can run the scheduler and kubelet only).
 */
export interface SimulationOptions {
  /** ReplicaSet controller: pods to match `spec.replicas`. Default true. */
  readonly replicaSets?: boolean;
  /** Deployment controller: ReplicaSets per template, rolling updates. Default true. */
  readonly deployments?: boolean;
  /** Scheduler: binds pending pods to ready nodes. Default true. */
  readonly scheduler?: boolean;
  /** Kubelets: pods start, become ready, terminate gracefully; node leases renew. Default true. */
  readonly kubelet?: boolean;
  /** EndpointSlices of Services with selectors. Default true. */
  readonly endpointSlices?: boolean;
  /** Jobs run to completion. Default true. */
  readonly jobs?: boolean;
  /** Ready nodes to add at start (`sim-node-1`, …), each with a /24 pod CIDR; default 3 if the cluster has none. */
  readonly nodes?: number;
  /** Seed of every random choice (pod name suffixes, placement ties); default 1. */
  readonly seed?: number;
  /** From binding to Running; default 1000 ms. */
  readonly podStartupMs?: number;
  /** How long a Job's pod runs before it succeeds; default 5000 ms. */
  readonly jobDurationMs?: number;
  /** Node Lease renewal interval; default 10,000 ms (the kubelet's). */
  readonly leaseRenewIntervalMs?: number;
}

export type SimulateOption = boolean | SimulationOptions;

export interface ResolvedSimulationOptions {
  readonly replicaSets: boolean;
  readonly deployments: boolean;
  readonly scheduler: boolean;
  readonly kubelet: boolean;
  readonly endpointSlices: boolean;
  readonly jobs: boolean;
  readonly nodes: number | undefined;
  readonly seed: number;
  readonly podStartupMs: number;
  readonly jobDurationMs: number;
  readonly leaseRenewIntervalMs: number;
}

export function resolveSimulationOptions(option: true | SimulationOptions): ResolvedSimulationOptions {
  const given = option === true ? {} : option;
  return {
    replicaSets: given.replicaSets ?? true,
    deployments: given.deployments ?? true,
    scheduler: given.scheduler ?? true,
    kubelet: given.kubelet ?? true,
    endpointSlices: given.endpointSlices ?? true,
    jobs: given.jobs ?? true,
    nodes: given.nodes,
    seed: given.seed ?? 1,
    podStartupMs: given.podStartupMs ?? 1_000,
    jobDurationMs: given.jobDurationMs ?? 5_000,
    leaseRenewIntervalMs: given.leaseRenewIntervalMs ?? 10_000,
  };
}
