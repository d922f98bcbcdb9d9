import { ManualClock } from '@kubeinformers/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from '../fake-api-server.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read pod fields loosely.
type Any = any;

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function cluster() {
  const clock = new ManualClock();
  server = await FakeApiServer.start({ clock, simulate: { nodes: 1, podStartupMs: 3_000 } });
  const store = server.store;
  const get = (name: string) => store.get<Any>('pods', `default/${name}`);
  return { clock, store, get };
}

const condition = (pod: Any, type: string) =>
  pod.status.conditions.find((entry: Any) => entry.type === type)?.status;

describe('simulated kubelet', () => {
  it('shows ContainerCreating, runs with an IP from the pod CIDR, and is ready after the probe delay', async () => {
    const { clock, store, get } = await cluster();
    store.create('pods', {
      metadata: { name: 'web' },
      spec: { containers: [{ name: 'main', image: 'nginx', readinessProbe: { initialDelaySeconds: 5 } }] },
    });
    clock.advance(0);
    expect(get('web').spec.nodeName).toBe('sim-node-1');
    expect(get('web').status.phase).toBe('Pending');
    expect(get('web').status.containerStatuses[0].state).toEqual({
      waiting: { reason: 'ContainerCreating' },
    });
    clock.advance(2_999);
    expect(get('web').status.phase).toBe('Pending');
    clock.advance(1);
    expect(get('web').status).toMatchObject({ phase: 'Running', podIP: '10.244.1.2', hostIP: '10.0.0.1' });
    expect(condition(get('web'), 'Ready')).toBe('False');
    clock.advance(4_999);
    expect(condition(get('web'), 'Ready')).toBe('False');
    clock.advance(1);
    expect(condition(get('web'), 'Ready')).toBe('True');
    expect(get('web').status.containerStatuses[0]).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
    });
  });

  it('gives host-network pods the node IP and distinct IPs to the others', async () => {
    const { clock, store, get } = await cluster();
    store.create('pods', {
      metadata: { name: 'host' },
      spec: { hostNetwork: true, containers: [{ name: 'c', image: 'i' }] },
    });
    for (const name of ['a', 'b'])
      store.create('pods', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    clock.advance(3_000);
    expect(get('host').status.podIP).toBe('10.0.0.1');
    expect(new Set([get('a').status.podIP, get('b').status.podIP]).size).toBe(2);
  });

  it('takes the grace period to delete a running pod, on the server clock', async () => {
    const { clock, store, get } = await cluster();
    store.create('pods', {
      metadata: { name: 'slow' },
      spec: { terminationGracePeriodSeconds: 20, containers: [{ name: 'c', image: 'i' }] },
    });
    clock.advance(3_000);
    const deleted = store.delete<Any>('pods', 'default/slow');
    expect(deleted.metadata.deletionGracePeriodSeconds).toBe(20);
    clock.advance(19_999);
    expect(get('slow')?.metadata.deletionTimestamp).toBeDefined();
    clock.advance(1);
    expect(get('slow')).toBeUndefined();
    // An unbound pod goes at once.
    store.create('pods', {
      metadata: { name: 'unbound' },
      spec: { schedulerName: 'other', containers: [{ name: 'c', image: 'i' }] },
    });
    store.delete('pods', 'default/unbound');
    expect(get('unbound')).toBeUndefined();
  });

  it('renews node leases in kube-node-lease', async () => {
    const { clock, store } = await cluster();
    const lease = () => store.get<Any>('leases.coordination.k8s.io', 'kube-node-lease/sim-node-1');
    const first = lease().spec.renewTime;
    expect(lease().spec).toMatchObject({ holderIdentity: 'sim-node-1', leaseDurationSeconds: 40 });
    clock.advance(10_000);
    expect(Date.parse(lease().spec.renewTime) - Date.parse(first)).toBe(10_000);
  });
});
