import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { StorageMode } from '../store/store-writer.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import { storageModes } from '../test-support/storage-modes.js';
import type { TestPod } from '../test-support/test-resources.js';
import { testPods, testReplicaSets, testServices } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { createInformerFactory as createFactory } from './informer-factory.js';
import type { InformerFactoryDefaults } from './informer-options.js';

/** Pods by every IP they answer on. Host-network pods answer on their node's IP, so several share one. */
const byIP = (pod: DeepReadonly<TestPod>) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [];

function seedCluster(api: InMemoryApi) {
  const nodeIP = '10.0.0.11';
  const hostNetworkPod = (namespace: string, name: string) =>
    api.create(testPods, {
      metadata: { namespace, name },
      spec: { nodeName: 'node-1', hostNetwork: true },
      status: { phase: 'Running', podIP: nodeIP, podIPs: [{ ip: nodeIP }] },
    });
  hostNetworkPod('kube-system', 'kube-proxy-node-1');
  hostNetworkPod('monitoring', 'node-exporter-node-1');
  for (const [index, name] of ['web-0', 'web-1'].entries()) {
    const ip = `10.244.1.${index + 10}`;
    api.create(testPods, {
      metadata: { namespace: 'shop', name, labels: { app: 'web' } },
      spec: { nodeName: 'node-1' },
      status: { phase: 'Running', podIP: ip, podIPs: [{ ip }, { ip: `fd00::${index + 10}` }] },
    });
  }
  api.create(testReplicaSets, {
    metadata: { namespace: 'shop', name: 'web-7d9f', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
  });
  api.create(testServices, {
    metadata: { namespace: 'shop', name: 'web' },
    spec: { clusterIP: '10.96.0.20', selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
}

/** The store of the suite being run: every test runs with both. */
let storage: StorageMode = 'objects';
const createInformerFactory: typeof createFactory = (transport, defaults?: InformerFactoryDefaults) =>
  createFactory(transport, { storage, ...defaults });

describe.each(storageModes)('storing %s', (mode) => {
  beforeEach(() => {
    storage = mode;
  });

  describe('the walkthrough: a factory, a pod informer indexed by IP, ReplicaSets and Services', () => {
    const controller = new AbortController();
    afterEach(() => controller.abort());

    it('starts, syncs, serves reads and events, and stops leaving nothing behind', async () => {
      const clock = new ManualClock();
      const api = new InMemoryApi(clock);
      seedCluster(api);
      const errors: KubeInformersError[] = [];
      const factory = createInformerFactory(api, { clock, onError: (error) => errors.push(error) });

      const podInformer = factory.informerFor(testPods, { indexers: { byIP } });
      const seen: string[] = [];
      podInformer.addEventHandler({
        onAdd: (pod) => void seen.push(`ADDED pod with name ${pod.metadata?.name}`),
        onUpdate: (_before, after) =>
          void seen.push(`UPDATED ${after.metadata?.name} to ${after.status?.phase}`),
        onDelete: (pod, { finalStateUnknown }) =>
          void seen.push(`DELETED ${pod.metadata?.name} ${finalStateUnknown}`),
      });
      const replicaSetInformer = factory.informerFor(testReplicaSets);
      const serviceInformer = factory.informerFor(testServices);
      expect(factory.informerFor(testPods)).toBe(podInformer);

      factory.start(controller.signal);
      await factory.waitForCacheSync(AbortSignal.any([controller.signal, AbortSignal.timeout(5000)]));

      expect(podInformer.hasSynced() && replicaSetInformer.hasSynced() && serviceInformer.hasSynced()).toBe(
        true,
      );
      expect(seen.sort()).toEqual([
        'ADDED pod with name kube-proxy-node-1',
        'ADDED pod with name node-exporter-node-1',
        'ADDED pod with name web-0',
        'ADDED pod with name web-1',
      ]);
      expect(podInformer.store.getByKey('shop/web-1')?.status?.podIP).toBe('10.244.1.11');
      expect(podInformer.store.get('kube-system', 'kube-proxy-node-1')?.spec?.hostNetwork).toBe(true);
      const sharingNodeIP = podInformer.store.byIndex('byIP', '10.0.0.11').map((pod) => pod.metadata?.name);
      expect(sharingNodeIP.sort()).toEqual(['kube-proxy-node-1', 'node-exporter-node-1']);
      expect(podInformer.store.byIndex('byIP', 'fd00::10').map((pod) => pod.metadata?.name)).toEqual([
        'web-0',
      ]);
      expect(podInformer.lister.namespace('shop').list('app=web')).toHaveLength(2);
      expect(replicaSetInformer.store.get('shop', 'web-7d9f')?.spec?.replicas).toBe(2);
      expect(serviceInformer.store.get('shop', 'web')?.spec?.clusterIP).toBe('10.96.0.20');

      // Changes made after the sync reach the store and the handler through the watch.
      seen.length = 0;
      const web0 = podInformer.store.get('shop', 'web-0');
      api.update(testPods, {
        ...structuredClone(web0 as TestPod),
        status: { phase: 'Succeeded', podIPs: [] },
      });
      api.delete(testPods, 'monitoring/node-exporter-node-1');
      await settle(() => seen.length === 2);
      expect(seen).toEqual(['UPDATED web-0 to Succeeded', 'DELETED node-exporter-node-1 false']);
      expect(podInformer.store.byIndex('byIP', '10.0.0.11').map((pod) => pod.metadata?.name)).toEqual([
        'kube-proxy-node-1',
      ]);
      expect(podInformer.store.byIndex('byIP', 'fd00::10')).toEqual([]);
      expect(podInformer.lastSyncResourceVersion).toBe(api.resourceVersion);

      controller.abort();
      await factory.shutdown();
      expect(api.openWatches).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      expect(api.requests.every((request) => request.signal.aborted || !request.query?.watch)).toBe(true);
      expect(errors).toEqual([]);
    });
  });
});
