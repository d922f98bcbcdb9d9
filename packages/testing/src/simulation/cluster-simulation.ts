import type { Clock } from '@kubeinformers/core';
import type { ObjectStore } from '../storage/object-store.js';
import { ClusterAccess } from './cluster-access.js';
import { EndpointSliceController } from './endpoint-slice-controller.js';
import { Kubelet } from './kubelet.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { Scheduler } from './scheduler.js';
import { SeededRandom } from './seeded-random.js';
import { addSimulatedNodes } from './simulated-nodes.js';
import {
  type ResolvedSimulationOptions,
  resolveSimulationOptions,
  type SimulationOptions,
} from './simulation-options.js';
import { DeploymentController } from './workloads/deployment-controller.js';
import { JobController } from './workloads/job-controller.js';
import { ReplicaSetController } from './workloads/replica-set-controller.js';

/**
 * The simulated control plane and nodes of a fake server (`FakeApiServer.start({ simulate })`): the
 * controllers, scheduler and kubelets it was started with, all driven by the server's clock, so a
 * `ManualClock` steps a whole rollout deterministically. Reach it as `server.simulation`.
 */
export class ClusterSimulation {
  readonly options: ResolvedSimulationOptions;
  private readonly access: ClusterAccess;
  private readonly parts: { stop(): void }[] = [];
  private readonly failedNodes = new Set<string>();
  private readonly lifecycle: NodeLifecycle | undefined;

  constructor(objectStore: ObjectStore, clock: Clock, options: true | SimulationOptions) {
    this.options = resolveSimulationOptions(options);
    const resolved = this.options;
    this.access = new ClusterAccess(objectStore, clock);
    const random = new SeededRandom(resolved.seed);
    const nodes = resolved.nodes ?? (this.access.count('nodes') === 0 ? 3 : 0);
    addSimulatedNodes(this.access, nodes);
    if (resolved.kubelet) {
      const kubelet = new Kubelet(this.access, resolved, this.failedNodes);
      objectStore.gracefulDeletion = (current, deleteOptions) =>
        current.resource === this.access.resource('pods')
          ? kubelet.gracePeriod(current.object, deleteOptions.gracePeriodSeconds)
          : 0;
      this.parts.push(kubelet, {
        stop: () => {
          objectStore.gracefulDeletion = undefined;
        },
      });
      this.lifecycle = new NodeLifecycle(
        this.access,
        this.failedNodes,
        resolved.leaseRenewIntervalMs,
        (name) => kubelet.resync(name),
      );
      this.parts.push(this.lifecycle);
    }
    if (resolved.scheduler) this.parts.push(new Scheduler(this.access, random));
    if (resolved.replicaSets) this.parts.push(new ReplicaSetController(this.access, random));
    if (resolved.deployments) this.parts.push(new DeploymentController(this.access));
    if (resolved.endpointSlices) this.parts.push(new EndpointSliceController(this.access));
    if (resolved.jobs) this.parts.push(new JobController(this.access, random));
    this.parts.push(this.access);
  }

  /**
   * The node stops reporting: NotReady (`Ready=Unknown`), tainted unreachable, its pods `Unknown` and
   * evicted once their toleration runs out (300 s by default). Needs the kubelet part.
   */
  failNode(name: string): void {
    this.requireLifecycle().fail(name);
  }

  /** The node reports again: Ready, untainted, and its remaining pods report their earlier status. */
  recoverNode(name: string): void {
    this.requireLifecycle().recover(name);
  }

  /** The latest reconciles that failed (a write the API refused), newest last, for diagnostics. */
  get errors(): readonly { readonly controller: string; readonly key: string; readonly error: unknown }[] {
    return this.access.errors;
  }

  /** Stops every part: no more timers, no more writes. */
  stop(): void {
    for (const part of this.parts.splice(0)) part.stop();
  }

  private requireLifecycle(): NodeLifecycle {
    if (this.lifecycle === undefined)
      throw new Error('failNode needs the simulated kubelet (simulate.kubelet)');
    return this.lifecycle;
  }
}
