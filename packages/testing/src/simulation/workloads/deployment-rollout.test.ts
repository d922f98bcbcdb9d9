import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../../fake-api-server.js';
import type { StoredObject } from '../../storage/cluster-store.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read workload fields loosely.
type Any = any;

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function deployment(name: string, replicas: number, image: string, strategy?: Any): Any {
  return {
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'main', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
        },
      },
      ...(strategy === undefined ? {} : { strategy }),
    },
  };
}

/** Advances the clock in steps until `done` holds; fails after `limitMs` of simulated time. */
function advanceUntil(clock: ManualClock, done: () => boolean, limitMs = 600_000, stepMs = 250): number {
  const start = clock.now();
  while (!done()) {
    if (clock.now() - start > limitMs) throw new Error(`not done after ${limitMs} ms of simulated time`);
    clock.advance(stepMs);
  }
  return clock.now() - start;
}

const activePods = (pods: StoredObject[]) =>
  pods.filter((pod) => pod.metadata.deletionTimestamp === undefined);
const isReady = (pod: Any) =>
  (pod.status?.conditions ?? []).some(
    (condition: Any) => condition.type === 'Ready' && condition.status === 'True',
  );

describe('simulated Deployment rollouts on a ManualClock', () => {
  it('rolls out a 100-replica Deployment, then a new image within maxSurge and maxUnavailable', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock, simulate: { nodes: 10, podStartupMs: 2_000 } });
    const store = server.store;
    const started = performance.now();
    store.create('deployments.apps', deployment('web', 100, 'nginx:1.27'));
    const complete = () => {
      const current = store.get<Any>('deployments.apps', 'default/web');
      return (
        current.status?.observedGeneration === current.metadata.generation &&
        current.status?.updatedReplicas === 100 &&
        current.status?.availableReplicas === 100 &&
        current.status?.replicas === 100
      );
    };
    advanceUntil(clock, complete);
    expect(store.count('pods', { labelSelector: 'app=web' })).toBe(100);
    expect(store.list<Any>('pods').every((pod) => pod.status.phase === 'Running' && isReady(pod))).toBe(true);
    const pod = store.list<Any>('pods')[0];
    expect(pod.metadata.generateName).toMatch(/^web-[a-z0-9]+-$/);
    expect(pod.metadata.labels['pod-template-hash']).toBeDefined();
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', controller: true });
    expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(new Set(store.list<Any>('pods').map((entry) => entry.status.podIP)).size).toBe(100);

    // A new image: watch every pod change and check the bounds at every step.
    let maxTotal = 0;
    let minAvailable = Number.POSITIVE_INFINITY;
    const check = () => {
      const active = activePods(store.list('pods', { labelSelector: 'app=web' }));
      maxTotal = Math.max(maxTotal, active.length);
      minAvailable = Math.min(minAvailable, active.filter(isReady).length);
    };
    store.patch(
      'deployments.apps',
      'default/web',
      {
        spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.28' }] } } },
      },
      { type: 'strategic' },
    );
    const stepped = () => {
      check();
      return complete();
    };
    advanceUntil(clock, stepped, 600_000, 100);
    // 25% of 100 each way.
    expect(maxTotal).toBeLessThanOrEqual(125);
    expect(maxTotal).toBeGreaterThan(100);
    expect(minAvailable).toBeGreaterThanOrEqual(75);
    const replicaSets = store.list<Any>('replicasets.apps');
    expect(replicaSets).toHaveLength(2);
    const byRevision = Object.fromEntries(
      replicaSets.map((rs) => [
        rs.metadata.annotations['deployment.kubernetes.io/revision'],
        rs.spec.replicas,
      ]),
    );
    expect(byRevision).toEqual({ '1': 0, '2': 100 });
    expect(
      activePods(store.list('pods')).every((entry: Any) => entry.spec.containers[0].image === 'nginx:1.28'),
    ).toBe(true);
    // Old pods terminate after their grace period (30 s by default) on the simulated clock.
    clock.advance(31_000);
    expect(store.count('pods')).toBe(100);
    expect(server.simulation?.errors).toEqual([]);
    // Reported, not asserted: timing targets belong to benchmarks.
    console.log(
      `100-replica rollout and update: ${(performance.now() - started).toFixed(0)} ms of real time`,
    );
  });

  it('holds a paused Deployment, keeps revisionHistoryLimit old ReplicaSets, and recreates all at once', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock, simulate: { nodes: 2, podStartupMs: 1_000 } });
    const { store } = server;
    const created = deployment('api', 4, 'api:1');
    created.spec.revisionHistoryLimit = 1;
    store.create('deployments.apps', created);
    const status = () => store.get<Any>('deployments.apps', 'default/api').status;
    const done = () =>
      status()?.updatedReplicas === 4 && status()?.availableReplicas === 4 && status()?.replicas === 4;
    advanceUntil(clock, done);
    expect(status().conditions.map((entry: Any) => `${entry.type}=${entry.status}/${entry.reason}`)).toEqual([
      'Available=True/MinimumReplicasAvailable',
      'Progressing=True/NewReplicaSetAvailable',
    ]);
    const setImage = (image: string) =>
      store.patch(
        'deployments.apps',
        'default/api',
        { spec: { template: { spec: { containers: [{ name: 'main', image }] } } } },
        { type: 'strategic' },
      );

    store.patch('deployments.apps', 'default/api', { spec: { paused: true } });
    setImage('api:2');
    clock.advance(10_000);
    expect(store.count('replicasets.apps')).toBe(1);
    expect(status().conditions.find((entry: Any) => entry.type === 'Progressing').reason).toBe(
      'DeploymentPaused',
    );
    store.patch('deployments.apps', 'default/api', { spec: { paused: false } });
    advanceUntil(clock, () => done() && status().conditions[1].reason === 'NewReplicaSetAvailable');
    setImage('api:3');
    advanceUntil(
      clock,
      () =>
        done() &&
        store.get<Any>('deployments.apps', 'default/api').metadata.annotations[
          'deployment.kubernetes.io/revision'
        ] === '3',
    );
    // Revision 1 is beyond the history limit of 1 old ReplicaSet.
    const revisions = () =>
      store
        .list<Any>('replicasets.apps')
        .map((rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'])
        .sort();
    expect(revisions()).toEqual(['2', '3']);

    // Recreate: no new pod until every old one is gone, terminating ones included.
    store.patch('deployments.apps', 'default/api', {
      spec: { strategy: { type: 'Recreate', rollingUpdate: null } },
    });
    setImage('api:4');
    let overlap = false;
    advanceUntil(
      clock,
      () => {
        const images = new Set(
          activePods(store.list<Any>('pods')).map((pod: Any) => pod.spec.containers[0].image),
        );
        if (images.size > 1) overlap = true;
        return done() && images.has('api:4');
      },
      600_000,
      100,
    );
    expect(overlap).toBe(false);
    expect(server.simulation?.errors).toEqual([]);
  });
});
