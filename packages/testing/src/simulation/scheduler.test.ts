import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';
import { nodeFixture } from '../fixtures/node-fixture.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read pod fields loosely.
type Any = any;

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pod = (name: string, spec: Any = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'busybox', ...spec.container }], ...spec.pod },
});

async function cluster(seed = 1) {
  const clock = new ManualClock();
  server = await FakeApiServer.start({
    clock,
    simulate: { nodes: 0, seed, kubelet: true, replicaSets: false, deployments: false },
  });
  const node = (name: string, extra: Any = {}) => {
    const base: Any = nodeFixture({ name, internalIP: `10.0.0.${name.length}`, podCIDR: '10.244.9.0/24' });
    server!.store.create('nodes', {
      ...base,
      metadata: { ...base.metadata, labels: { ...base.metadata.labels, ...extra.labels } },
      spec: { ...base.spec, ...extra.spec },
      status: {
        ...base.status,
        ...(extra.allocatable ? { allocatable: { ...base.status.allocatable, ...extra.allocatable } } : {}),
      },
    });
  };
  return { clock, store: server.store, node };
}

describe('simulated scheduler', () => {
  it('honours nodeSelector, taints with tolerations, and resource requests', async () => {
    const { clock, store, node } = await cluster();
    node('plain');
    node('gpu', {
      labels: { accelerator: 'gpu' },
      spec: { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] },
    });
    node('tiny', { labels: { size: 'tiny' }, allocatable: { cpu: '100m' } });
    store.create(
      'pods',
      pod('wants-gpu', {
        pod: {
          nodeSelector: { accelerator: 'gpu' },
          tolerations: [{ key: 'gpu', operator: 'Equal', value: 'yes', effect: 'NoSchedule' }],
        },
      }),
    );
    store.create('pods', pod('untolerated', { pod: { nodeSelector: { accelerator: 'gpu' } } }));
    store.create(
      'pods',
      pod('too-big', {
        pod: { nodeSelector: { size: 'tiny' } },
        container: { resources: { requests: { cpu: '200m' } } },
      }),
    );
    store.create(
      'pods',
      pod('fits-tiny', {
        pod: { nodeSelector: { size: 'tiny' } },
        container: { resources: { requests: { cpu: '50m' } } },
      }),
    );
    store.create('pods', pod('pinned', { pod: { nodeName: 'plain' } }));
    clock.advance(10);
    const nodeOf = (name: string) => store.get<Any>('pods', `default/${name}`).spec.nodeName;
    expect(nodeOf('wants-gpu')).toBe('gpu');
    expect(nodeOf('fits-tiny')).toBe('tiny');
    expect(nodeOf('pinned')).toBe('plain');
    expect(nodeOf('untolerated')).toBeUndefined();
    expect(nodeOf('too-big')).toBeUndefined();
    const condition = store.get<Any>('pods', 'default/too-big').status.conditions[0];
    expect(condition).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    // Room appears: the waiting pod is placed.
    store.patch('nodes', 'tiny', { status: { allocatable: { cpu: '4' } } });
    clock.advance(10);
    expect(nodeOf('too-big')).toBe('tiny');
  });

  it('places pods the same way for the same seed, and differently for another', async () => {
    const placements = async (seed: number) => {
      const { clock, store, node } = await cluster(seed);
      for (const name of ['a', 'b', 'c', 'd']) node(`node-${name}`);
      for (let index = 0; index < 12; index += 1) store.create('pods', pod(`p${index}`));
      clock.advance(10);
      const placed = store.list<Any>('pods').map((entry) => `${entry.metadata.name}@${entry.spec.nodeName}`);
      await server?.close();
      server = undefined;
      return placed;
    };
    const first = await placements(7);
    expect(await placements(7)).toEqual(first);
    expect(await placements(8)).not.toEqual(first);
    // Least requested first: 12 pods over 4 nodes land 3 per node.
    const perNode = new Map<string, number>();
    for (const entry of first)
      perNode.set(entry.split('@')[1]!, (perNode.get(entry.split('@')[1]!) ?? 0) + 1);
    expect([...perNode.values()]).toEqual([3, 3, 3, 3]);
  });
});
