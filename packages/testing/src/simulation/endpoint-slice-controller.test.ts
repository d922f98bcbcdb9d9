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

describe('simulated EndpointSlices', () => {
  it('lists the ready pods of a Service with their target port, following readiness and deletion', async () => {
    const clock = new ManualClock();
    server = await FakeApiServer.start({ clock, simulate: { nodes: 1, podStartupMs: 1_000 } });
    const { store } = server;
    store.create('services', {
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    store.create('services', { metadata: { name: 'external' }, spec: { ports: [{ port: 443 }] } });
    const pod = (name: string, delay: number) =>
      store.create('pods', {
        metadata: { name, labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'c',
              image: 'i',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { initialDelaySeconds: delay },
            },
          ],
        },
      });
    pod('fast', 0);
    pod('slow', 10);
    clock.advance(1_000);
    const slice = () => store.get<Any>('endpointslices.discovery.k8s.io', 'default/web-sim');
    expect(slice().metadata.labels['kubernetes.io/service-name']).toBe('web');
    expect(slice().ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    const conditions = () =>
      Object.fromEntries(
        slice().endpoints.map((entry: Any) => [entry.targetRef.name, entry.conditions.ready]),
      );
    expect(conditions()).toEqual({ fast: true, slow: false });
    clock.advance(10_000);
    expect(conditions()).toEqual({ fast: true, slow: true });
    store.delete('pods', 'default/fast');
    clock.advance(0);
    expect(slice().endpoints.find((entry: Any) => entry.targetRef.name === 'fast').conditions).toEqual({
      ready: false,
      serving: true,
      terminating: true,
    });
    clock.advance(5_000);
    expect(conditions()).toEqual({ slow: true });
    expect(store.count('endpointslices.discovery.k8s.io')).toBe(1);
    // Deleting the Service takes its slice (owner reference).
    store.delete('services', 'default/web');
    expect(store.count('endpointslices.discovery.k8s.io')).toBe(0);
  });
});
