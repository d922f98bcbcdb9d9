import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  type V1ConfigMap,
  type V1Deployment,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApiServer } from './fake-api-server.js';
import { deploymentFixture } from './fixtures/workload-fixtures.js';
import { within } from './test-support/http-client.js';

// These tests drive the fake server with the official JavaScript client: the measure of its fidelity is
// whether a client we did not write accepts it.

let server: FakeApiServer;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await server?.close();
});

async function connect(options: Parameters<typeof FakeApiServer.start>[0] = {}): Promise<KubeConfig> {
  server = await FakeApiServer.start(options);
  const config = new KubeConfig();
  config.loadFromString(server.kubeconfig());
  return config;
}

const newPod = (name: string, labels: Record<string, string> = { app: 'web' }): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
});

describe('@kubernetes/client-node against the fake server', () => {
  it('does typed CRUD with CoreV1Api and AppsV1Api', async () => {
    const config = await connect({ tls: true, tokens: ['secret'] });
    const core = config.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedPod({ namespace: 'default', body: newPod('web-0') });
    expect(created.metadata?.uid).toBeDefined();
    await expect(
      core.createNamespacedPod({ namespace: 'default', body: newPod('web-0') }),
    ).rejects.toMatchObject({ code: 409 });
    const listed = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
    expect(listed.items.map((pod) => pod.metadata?.name)).toEqual(['web-0']);
    const read = await core.readNamespacedPod({ namespace: 'default', name: 'web-0' });
    const replaced = await core.replaceNamespacedPod({
      namespace: 'default',
      name: 'web-0',
      body: { ...read, metadata: { ...read.metadata, labels: { app: 'web', v: '2' } } },
    });
    expect(replaced.metadata?.labels?.v).toBe('2');
    await expect(
      core.replaceNamespacedPod({ namespace: 'default', name: 'web-0', body: read }),
    ).rejects.toMatchObject({ code: 409 });
    const patched = await core.patchNamespacedPod({
      namespace: 'default',
      name: 'web-0',
      body: [{ op: 'add', path: '/metadata/annotations', value: { note: 'patched' } }],
    });
    expect(patched.metadata?.annotations).toEqual({ note: 'patched' });
    const withStatus = await core.replaceNamespacedPodStatus({
      namespace: 'default',
      name: 'web-0',
      body: { ...patched, status: { phase: 'Running', podIP: '10.244.1.5' } },
    });
    expect(withStatus.status?.phase).toBe('Running');
    await core.deleteNamespacedPod({ namespace: 'default', name: 'web-0' });
    await expect(core.readNamespacedPod({ namespace: 'default', name: 'web-0' })).rejects.toMatchObject({
      code: 404,
    });

    const apps = config.makeApiClient(AppsV1Api);
    const deployment = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: deploymentFixture({ name: 'api', replicas: 2 }) as V1Deployment,
    });
    expect(deployment.metadata?.generation).toBe(1);
    const scaled = await apps.patchNamespacedDeployment({
      namespace: 'default',
      name: 'api',
      body: [{ op: 'replace', path: '/spec/replicas', value: 5 }],
    });
    expect(scaled.spec?.replicas).toBe(5);
    expect(scaled.metadata?.generation).toBe(2);
    expect((await apps.listDeploymentForAllNamespaces()).items).toHaveLength(1);
  });

  it('receives ADDED, MODIFIED and DELETED through Watch, and the 410 ERROR event for an expired version', async () => {
    const config = await connect();
    const events: [string, string | undefined][] = [];
    const controller = await new Watch(config).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: server.resourceVersion },
      (phase, object: V1ConfigMap) => events.push([phase, object.metadata?.name]),
      () => {},
    );
    cleanups.push(() => controller.abort());
    server.store.create('configmaps', { metadata: { name: 'a' } });
    server.store.patch('configmaps', 'default/a', { data: { k: 'v' } });
    server.store.delete('configmaps', 'default/a');
    await vi.waitFor(
      () =>
        expect(events).toEqual([
          ['ADDED', 'a'],
          ['MODIFIED', 'a'],
          ['DELETED', 'a'],
        ]),
      { timeout: 3_000 },
    );

    server.faults.compact();
    const expired = await within(
      new Promise<{ phase: string; code: number }>((resolve, reject) => {
        new Watch(config)
          .watch(
            '/api/v1/namespaces/default/configmaps',
            { resourceVersion: '1' },
            (phase, object) => resolve({ phase, code: object.code }),
            () => {},
          )
          .catch(reject);
      }),
      3_000,
      'the ERROR event',
    );
    expect(expired).toEqual({ phase: 'ERROR', code: 410 });
  });

  it('syncs makeInformer, delivers add/update/delete, and recovers after the server closes its watches', async () => {
    const config = await connect();
    server.store.create('pods', newPod('before'));
    const core = config.makeApiClient(CoreV1Api);
    const informer = makeInformer(config, '/api/v1/namespaces/default/pods', () =>
      core.listNamespacedPod({ namespace: 'default' }),
    );
    const seen: string[] = [];
    informer.on('add', (pod) => seen.push(`add ${pod.metadata?.name}`));
    informer.on('update', (pod) =>
      seen.push(`update ${pod.metadata?.name} ${pod.metadata?.labels?.v ?? ''}`),
    );
    informer.on('delete', (pod) => seen.push(`delete ${pod.metadata?.name}`));
    informer.on('error', (error) => seen.push(`error ${String(error)}`));
    await informer.start();
    cleanups.push(() => informer.stop());
    expect(informer.list('default').map((pod) => pod.metadata?.name)).toEqual(['before']);
    await vi.waitFor(() => expect(server.watches.size).toBe(1), { timeout: 3_000 });

    server.store.create('pods', newPod('after'));
    server.store.patch('pods', 'default/after', { metadata: { labels: { v: '2' } } });
    server.store.delete('pods', 'default/before');
    await vi.waitFor(
      () => expect(seen).toEqual(['add before', 'add after', 'update after 2', 'delete before']),
      { timeout: 3_000 },
    );

    // A clean end of the watch: the informer watches again from its last resourceVersion.
    server.faults.closeWatches();
    server.store.create('pods', newPod('while-reconnecting'));
    await vi.waitFor(() => expect(informer.get('while-reconnecting', 'default')).toBeDefined(), {
      timeout: 5_000,
    });

    // History gone while disconnected: the watch gets ERROR 410 and the informer relists.
    await vi.waitFor(() => expect(server.watches.size).toBe(1), { timeout: 5_000 });
    server.faults.stallWatches();
    server.store.delete('pods', 'default/after');
    server.faults.compact();
    server.faults.closeWatches();
    server.faults.resumeWatches();
    await vi.waitFor(() => expect(informer.get('after', 'default')).toBeUndefined(), { timeout: 5_000 });
    expect(informer.list('default').map((pod) => pod.metadata?.name)).toEqual(['while-reconnecting']);
    expect(seen.filter((entry) => entry.startsWith('error'))).toEqual([]);
  });
});
