import { createInformerFactory } from '@kubeinformers/core';
import { kubeConfigTransport, pods, replicaSets, services } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault(); // ~/.kube/config, $KUBECONFIG or the in-cluster service account

// One AbortController is the stop channel of everything below.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

const transport = kubeConfigTransport(kubeConfig);
// pruneManagedFields: drop metadata.managedFields before the parse (recommended for controllers; see
// Performance below): it is 30–45 % of a typical pod's bytes and most of its parse time.
const factory = createInformerFactory(transport, { resyncPeriodMs: 10 * 60_000, pruneManagedFields: true });

// Pods, indexed by IP: host-network pods share their node's IP, so one IP can map to several pods.
const podInformer = factory.informerFor(pods, {
  indexers: { byIP: (pod) => pod.status?.podIPs?.map((podIP) => podIP.ip) ?? [] },
});
const replicaSetInformer = factory.informerFor(replicaSets);
const serviceInformer = factory.informerFor(services);

podInformer.addEventHandler({
  onAdd: (pod) => console.log(`ADDED pod with name ${pod.metadata?.name}`),
  onUpdate: (before, after) => {
    if (before !== after) console.log(`MODIFIED pod ${after.metadata?.name}`); // before === after: a resync
  },
  onDelete: (pod, { finalStateUnknown }) => {
    console.log(`DELETED pod ${pod.metadata?.name}${finalStateUnknown ? ' (seen missing by a relist)' : ''}`);
  },
});

factory.start(controller.signal); // runs in the background until the signal aborts
await factory.waitForCacheSync(controller.signal);

const pod = podInformer.store.getByKey('kube-system/coredns-5d78c9869d-abcde'); // by `namespace/name`
console.log(`pod IP: ${pod?.status?.podIP}`);
const podsOnIP = podInformer.store.byIndex('byIP', '10.0.0.11'); // 'byIp' would not compile
console.log(`${podsOnIP.length} pods use 10.0.0.11`);
console.log(`${replicaSetInformer.store.size} replicasets, ${serviceInformer.store.size} services`);

controller.abort(); // stops every informer: watches, connections, timers
await factory.shutdown(); // resolves once all of them are released
await transport.close();
