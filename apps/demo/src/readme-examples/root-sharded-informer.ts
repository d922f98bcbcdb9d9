import { createInformerFactory, splitHashSpace } from '@kubeinformers/core';
import { kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';

const factory = createInformerFactory(kubeConfigTransport(kubeConfig));
const mine = splitHashSpace(replicaCount).slice(replicaIndex, replicaIndex + 1); // contiguous, equal ranges
const podInformer = factory.informerFor(pods, {
  shardSelector: { field: 'object.metadata.uid', ranges: mine },
  // or the wire form: "shardRange(object.metadata.uid, '0x0000000000000000', '0x8000000000000000')"
});
podInformer.health().sharding; // 'server': the API server filtered; 'client': this informer did
await podInformer.setShardSelector({ field: 'object.metadata.uid', ranges: newRanges }); // re-target

// What the sample above takes from the surrounding program.
declare const kubeConfig: import('@kubernetes/client-node').KubeConfig;
declare const replicaCount: number;
declare const replicaIndex: number;
declare const newRanges: readonly import('@kubeinformers/core').ShardRange[];
