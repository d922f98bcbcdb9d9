import { sleep, systemClock } from '@kubeinformers/core';
import type { Wire } from '@kubeinformers/k8s-client-adapter';
import { type ClusterSimulation, type FakeApiServer, podFixture } from '@kubeinformers/testing';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { EventLog, LogEntry } from './event-log.js';
import type { Terminal } from './terminal.js';

/** The node the simulated round fails and recovers. */
const failingNode = 'node-3';

/** Informers the demo runs; after a fault each of them reconnects. */
const informerResources = ['pods', 'replicasets', 'services'] as const;

/**
 * Changes the embedded cluster the way a real one changes, and breaks its connections the way real ones
 * break, waiting (bounded) after each step until the informers have shown its effect:
 * a pod is created, becomes Running with an IP, another is deleted; then every watch is dropped and a
 * change made while disconnected arrives after the rewatch; then, while the informers are blind, a pod
 * is deleted and the server's event history compacted, so the rewatch is refused as expired (410) and
 * the relist finds the deletion (`finalStateUnknown`).
 */
export class LiveChurn {
  private created = 0;

  constructor(
    private readonly server: FakeApiServer,
    private readonly log: EventLog,
    private readonly terminal: Terminal,
    private readonly signal: AbortSignal,
  ) {}

  /** The scripted round: every kind of change and both faults, once. */
  async playScript(): Promise<void> {
    const created = this.createPodKey();
    await this.step(`a pod is created: ${created}`, podEvent('ADDED', created), () =>
      this.createPod(created, 'Pending'),
    );
    await this.step(`the pod starts: Running with an IP`, podEvent('MODIFIED', created), () =>
      this.server.store.mutate<Wire<V1Pod>>('pods', created, (pod) => {
        const ip = this.nextPodIP();
        pod.status = { ...pod.status, phase: 'Running', podIP: ip, podIPs: [{ ip }] };
      }),
    );
    const victim = this.someSeededPod(created);
    await this.step(`a pod is deleted: ${victim}`, podEvent('DELETED', victim), () =>
      // At once, as `kubectl delete --force` does: with the simulated kubelet running, a plain delete
      // would wait the pod's grace period before the DELETED event this step waits for.
      this.server.store.delete('pods', victim, { gracePeriodSeconds: 0 }),
    );

    await this.step(
      'fault: every watch connection is dropped',
      allOf([
        ...informerResources.map(
          (resource) => (entry: LogEntry) => isRequest(entry, resource, 'watch', true),
        ),
        podEvent('MODIFIED', created),
      ]),
      () => {
        const dropped = this.server.faults.closeWatches({ abrupt: true });
        // Made before the informers are back: the rewatch from their last resourceVersion delivers it.
        this.server.store.mutate<Wire<V1Pod>>('pods', created, (pod) => {
          pod.metadata = {
            ...pod.metadata,
            labels: { ...pod.metadata?.labels, 'demo.kubeinformers.dev/seen': 'after-drop' },
          };
        });
        return `${dropped} watches dropped; a pod is relabelled before they are back`;
      },
    );

    const missed = this.someSeededPod(created, victim);
    await this.step(
      'fault: the resourceVersion expires while the informers are blind',
      allOf([
        ...informerResources.map((resource) => (entry: LogEntry) => isRequest(entry, resource, 'list', true)),
        (entry) =>
          entry.type === 'event' &&
          entry.event === 'DELETED' &&
          entry.key === missed &&
          entry.finalStateUnknown,
      ]),
      () => {
        // Stalled watches receive nothing: the deletion below is never seen as an event.
        this.server.faults.stallWatches();
        this.server.store.delete('pods', missed, { gracePeriodSeconds: 0 });
        this.server.faults.compact();
        this.server.faults.closeWatches({ abrupt: true });
        this.server.faults.resumeWatches();
        return `${missed} deleted unseen, history compacted, watches dropped: rewatches get 410 Expired`;
      },
    );
  }

  /**
   * Changes a living cluster would see, one every `intervalMs` until the signal aborts, each a single
   * write that the server's simulated controllers, scheduler and kubelets carry out: a rollout of a
   * Deployment (new ReplicaSet, pods surged in and old ones terminated), a scale-down, a node that fails
   * (NotReady, its pods Unknown) and later recovers. Without the simulation (a server started without
   * it), hand-written writes stand in: a pod is modified, created, deleted in turn.
   */
  async keepChanging(intervalMs: number): Promise<void> {
    const simulation = this.server.simulation;
    const added: string[] = [];
    for (let round = 0; !this.signal.aborted; round += 1) {
      try {
        await sleep(systemClock, intervalMs, this.signal);
      } catch {
        return;
      }
      if (simulation === undefined) this.changeByHand(round, added);
      else this.terminal.line('cluster', this.changeBySimulation(round, simulation), 'magenta');
    }
  }

  /** One simulated change per round, in a cycle of four. */
  private changeBySimulation(round: number, simulation: ClusterSimulation): string {
    const deployment = 'shop/web';
    switch (round % 4) {
      case 0: {
        // A new template (as `kubectl rollout restart` writes it); a short grace period keeps the
        // old pods' termination visible without a 30 s wait.
        this.server.store.patch(
          'deployments.apps',
          deployment,
          {
            spec: {
              template: {
                metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } },
                spec: { terminationGracePeriodSeconds: 3 },
              },
            },
          },
          { type: 'strategic' },
        );
        return `rollout of ${deployment}: a new ReplicaSet, pods surged in, old ones terminated`;
      }
      case 1: {
        const stored = this.server.store.get<Wire<V1Deployment>>('deployments.apps', deployment);
        const replicas = stored?.spec?.replicas ?? 3;
        const next = replicas > 1 ? replicas - 1 : 3;
        this.server.store.patch('deployments.apps', deployment, { spec: { replicas: next } });
        return `${deployment} scaled from ${replicas} to ${next} replicas`;
      }
      case 2:
        simulation.failNode(failingNode);
        return `${failingNode} stops reporting: NotReady, its pods Unknown`;
      default:
        simulation.recoverNode(failingNode);
        return `${failingNode} reports again: Ready, its pods start over`;
    }
  }

  /** Hand-written changes for a server without the simulation: modify, create, delete in turn. */
  private changeByHand(round: number, added: string[]): void {
    const phase = round % 3;
    if (phase === 0) {
      const key = this.someSeededPod();
      this.server.store.mutate<Wire<V1Pod>>('pods', key, (pod) => {
        pod.metadata = {
          ...pod.metadata,
          annotations: { ...pod.metadata?.annotations, 'demo.kubeinformers.dev/heartbeat': String(round) },
        };
      });
    } else if (phase === 1) {
      const key = this.createPodKey();
      this.createPod(key, 'Running');
      added.push(key);
    } else {
      const key = added.shift();
      if (key !== undefined) this.server.store.delete('pods', key, { gracePeriodSeconds: 0 });
    }
  }

  private async step(
    title: string,
    expected: (entry: LogEntry) => boolean,
    act: () => unknown,
  ): Promise<void> {
    const seen = this.log.waitFor(title, expected, this.signal);
    const note = act();
    this.terminal.line('cluster', typeof note === 'string' ? `${title} — ${note}` : title, 'magenta');
    await seen;
  }

  private createPodKey(): string {
    this.created += 1;
    return `shop/web-demo-${this.created}`;
  }

  private createPod(key: string, phase: 'Pending' | 'Running'): void {
    const [namespace = 'shop', name = key] = key.split('/');
    const pod = podFixture({ name, namespace, app: 'web', nodeName: 'node-2', hostIP: '10.0.0.12', phase });
    if (phase === 'Pending') {
      const status = pod.status as { podIP?: string; podIPs?: unknown; phase?: string };
      delete status.podIP;
      delete status.podIPs;
    } else {
      const ip = this.nextPodIP();
      Object.assign(pod.status as object, { podIP: ip, podIPs: [{ ip }] });
    }
    this.server.store.create('pods', pod);
  }

  private nextPodIP(): string {
    return `10.244.2.${100 + this.created}`;
  }

  /** A pod of the seed still present, other than `excluded`, for changes and deletions. */
  private someSeededPod(...excluded: string[]): string {
    const pod = this.server.store
      .list<Wire<V1Pod>>('pods', { namespace: 'shop' })
      .map((candidate) => `${candidate.metadata?.namespace}/${candidate.metadata?.name}`)
      .find((key) => !excluded.includes(key) && !key.startsWith('shop/web-demo-'));
    if (pod === undefined) throw new Error('the embedded cluster has no seeded pod left to change');
    return pod;
  }
}

function podEvent(event: 'ADDED' | 'MODIFIED' | 'DELETED', key: string): (entry: LogEntry) => boolean {
  return (entry) =>
    entry.type === 'event' && entry.resource === 'pods' && entry.event === event && entry.key === key;
}

function isRequest(entry: LogEntry, resource: string, kind: 'list' | 'watch', recovery: boolean): boolean {
  return (
    entry.type === 'request' &&
    entry.request.resource === resource &&
    entry.request.kind === kind &&
    entry.recovery === recovery
  );
}

/** A matcher that is true once each of `matchers` has matched some entry (in any order). */
function allOf(matchers: readonly ((entry: LogEntry) => boolean)[]): (entry: LogEntry) => boolean {
  const pending = new Set(matchers);
  return (entry) => {
    for (const matches of pending) if (matches(entry)) pending.delete(matches);
    return pending.size === 0;
  };
}
