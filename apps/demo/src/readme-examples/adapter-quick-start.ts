import { createInformerFactory } from '@kubeinformers/core';
import { kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();

const transport = kubeConfigTransport(kubeConfig);
const factory = createInformerFactory(transport);
const podInformer = factory.informerFor(pods, {
  indexers: { byIP: (pod) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [] },
});

const pod = podInformer.store.getByKey('default/web'); // DeepReadonly<Wire<V1Pod>> | undefined
const created = new Date(pod?.metadata?.creationTimestamp ?? 0);
console.log(`created ${created.toISOString()}`);
