import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read object fields loosely.
type Any = any;

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a failing node', () => {
  it('goes NotReady, its pods Unknown, and they are evicted after their toleration and replaced', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock, simulate: { nodes: 2, podStartupMs: 1_000 } });
    const { store } = server;
    store.create('replicasets.apps', {
      metadata: { name: 'web' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'c', image: 'i' }],
            tolerations: [
              {
                key: 'node.kubernetes.io/unreachable',
                operator: 'Exists',
                effect: 'NoExecute',
                tolerationSeconds: 60,
              },
            ],
          },
        },
      },
    });
    clock.advance(1_000);
    const on = (node: string) => store.list<Any>('pods').filter((pod) => pod.spec.nodeName === node);
    expect(on('sim-node-1')).toHaveLength(2);
    expect(store.get<Any>('replicasets.apps', 'default/web').status.readyReplicas).toBe(4);

    server.simulation!.failNode('sim-node-1');
    const node = store.get<Any>('nodes', 'sim-node-1');
    expect(node.status.conditions.find((entry: Any) => entry.type === 'Ready').status).toBe('Unknown');
    expect(node.spec.taints).toContainEqual(
      expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }),
    );
    expect(on('sim-node-1').map((pod) => pod.status.phase)).toEqual(['Unknown', 'Unknown']);
    clock.advance(0);
    expect(store.get<Any>('replicasets.apps', 'default/web').status.readyReplicas).toBe(2);
    // The lease of a failed node stops moving.
    const renewed = store.get<Any>('leases.coordination.k8s.io', 'kube-node-lease/sim-node-1').spec.renewTime;
    clock.advance(59_000);
    expect(on('sim-node-1')).toHaveLength(2);
    expect(store.get<Any>('leases.coordination.k8s.io', 'kube-node-lease/sim-node-1').spec.renewTime).toBe(
      renewed,
    );
    clock.advance(1_000);
    expect(on('sim-node-1')).toHaveLength(0);
    // Replacements go to the healthy node (the failed one is NotReady and tainted).
    clock.advance(1_000);
    expect(on('sim-node-2')).toHaveLength(4);
    expect(store.get<Any>('replicasets.apps', 'default/web').status.readyReplicas).toBe(4);

    server.simulation!.recoverNode('sim-node-1');
    expect(store.get<Any>('nodes', 'sim-node-1').spec.taints).toBeUndefined();
    expect(server.simulation!.errors).toEqual([]);
  });

  it('gives the pods that outlived the failure their earlier status back when the node recovers', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock, simulate: { nodes: 1, podStartupMs: 1_000 } });
    const { store } = server;
    store.create('pods', { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    clock.advance(1_000);
    const ready = () =>
      store.get<Any>('pods', 'default/web').status.conditions.find((entry: Any) => entry.type === 'Ready')
        .status;
    expect(ready()).toBe('True');
    server.simulation!.failNode('sim-node-1');
    expect(store.get<Any>('pods', 'default/web').status.phase).toBe('Unknown');
    expect(ready()).toBe('False');
    clock.advance(60_000);
    server.simulation!.recoverNode('sim-node-1');
    expect(store.get<Any>('pods', 'default/web').status.phase).toBe('Running');
    expect(ready()).toBe('True');
    expect(
      store.get<Any>('nodes', 'sim-node-1').status.conditions.find((entry: Any) => entry.type === 'Ready')
        .status,
    ).toBe('True');
    expect(server.simulation!.errors).toEqual([]);
  });
});
