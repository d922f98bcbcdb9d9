import {
  byControllerOwner,
  createController,
  createInformerFactory,
  LeaderElector,
} from '@kubeinformers/core';
import { createLeaseLock, kubeConfigTransport, pods, replicaSets } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const stop = new AbortController();
const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }));
const replicaSetInformer = factory.informerFor(replicaSets);
const podInformer = factory.informerFor(pods);

const controller = createController({
  primary: replicaSetInformer,
  // A pod's change enqueues the ReplicaSet that controls it.
  secondaries: [
    { informer: podInformer, toPrimaryKeys: byControllerOwner({ kind: 'ReplicaSet', group: 'apps' }) },
  ],
  workers: 4,
  async reconcile(key, { signal }) {
    const replicaSet = replicaSetInformer.store.getByKey(key);
    if (replicaSet === undefined) return; // deleted: clean up what it owned
    const owned = podInformer.lister.namespace(replicaSet.metadata?.namespace ?? '').list();
    signal.throwIfAborted(); // leadership lost or stopping: write nothing more
    // …compare with replicaSet.spec and write through the official client; a throw is retried.
    return owned.length < (replicaSet.spec?.replicas ?? 0) ? { requeueAfterMs: 30_000 } : undefined;
  },
});

factory.start(stop.signal); // every replica keeps its caches warm; only the leader reconciles
await new LeaderElector({
  lock: createLeaseLock(kubeConfig, { namespace: 'kube-system', name: 'replica-set-controller' }),
  identity: process.env.HOSTNAME ?? 'local',
  onStartedLeading: (leading) => controller.run(leading),
}).run(stop.signal);
