import {
  createInformerFactory,
  defineResource,
  type KubeInformersError,
  type Transport,
} from '@kubeinformers/core';

declare const transport: Transport; // yours, or kubeConfigTransport(kubeConfig) from the adapter

interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: { podIP?: string; podIPs?: { ip: string }[] };
}
const pods = defineResource<Pod>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});

const controller = new AbortController();
const factory = createInformerFactory(transport, {
  resyncPeriodMs: 10 * 60_000, // replays the cache to handlers; never a relist
  // Recommended for controllers: drops metadata.managedFields from the text before JSON.parse (a third
  // or more of a pod's bytes, most of its parse time); `transform: stripManagedFields` does it afterwards.
  pruneManagedFields: true,
  onError: (error: KubeInformersError) => console.warn(error.code, error.message), // what the loops survive
});

const podInformer = factory.informerFor(pods, {
  labelSelector: 'app=web', // parsed now: an invalid selector throws SelectorError here
  indexers: { byNode: (pod) => (pod.spec?.nodeName === undefined ? [] : [pod.spec.nodeName]) },
});

// A registration: removed by `remove()`, or at the end of the block with `using`.
using registration = podInformer.addEventHandler({
  onAdd: (pod, { isInInitialList }) => console.log('add', pod.metadata?.name, isInInitialList),
  onDelete: (pod, { finalStateUnknown }) => console.log('delete', pod.metadata?.name, finalStateUnknown),
});

factory.start(controller.signal);
await factory.waitForCacheSync(controller.signal);
console.log(registration.hasSynced(), podInformer.lastSyncResourceVersion);

// Indexes can be added after start; existing objects are indexed at once. Names are typed.
const store = podInformer.addIndexers({ byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] });
console.log(store.byIndex('byNode', 'node-1').length, store.byIndex('byIP', '10.244.1.7').length);
console.log(podInformer.lister.namespace('shop').list('tier in (frontend)').length);

controller.abort();
await factory.shutdown();
