import {
  createController,
  createInformerFactory,
  memberLeaseView,
  memberOfLabel,
  RangeOwnership,
  ShardedPrimary,
  unownedShardSelector,
} from '@kubeinformers/core';
import {
  createMemberLeaseClient,
  kubeConfigTransport,
  leases,
  pods,
} from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const stop = new AbortController();
const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }));
const members = factory.informerFor(leases, {
  namespace: 'kube-system',
  labelSelector: `${memberOfLabel}=pod-controller`,
});
const podInformer = factory.informerFor(pods, { shardSelector: unownedShardSelector }); // lists nothing yet
const ownership = new RangeOwnership({
  identity: process.env.HOSTNAME ?? 'local',
  leases: createMemberLeaseClient(kubeConfig, { namespace: 'kube-system', memberOf: 'pod-controller' }),
  view: memberLeaseView(members),
});
const primary = new ShardedPrimary(podInformer, ownership);
const controller = createController({
  primary,
  reconcile: primary.reconcileOwned(async (key, { signal }) => {
    const pod = podInformer.store.getByKey(key);
    if (pod === undefined || signal.aborted) return; // deleted, or the range moved meanwhile
    // …compute; then, right before each write (or write through
    // makeGuardedApiClient(kubeConfig, CoreV1Api, ownership.guardFor(pod))):
    ownership.assertOwns(pod); // RangeNotOwnedError (KI_RANGE_NOT_OWNED) once it is not ours
  }),
});
factory.start(stop.signal);
await Promise.all([ownership.run(stop.signal), controller.run(stop.signal)]);
