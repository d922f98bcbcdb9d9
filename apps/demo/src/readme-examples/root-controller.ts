import {
  byControllerOwner,
  createController,
  createInformerFactory,
  LeaderElector,
} from '@kubeinformers/core';
import {
  createLeaseLock,
  kubeConfigTransport,
  makeGuardedApiClient,
  pods,
  replicaSets,
} from '@kubeinformers/k8s-client-adapter';
import { CoreV1Api, KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const stop = new AbortController();
const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }));
const replicaSetInformer = factory.informerFor(replicaSets);
const podInformer = factory.informerFor(pods);

const elector = new LeaderElector({
  lock: createLeaseLock(kubeConfig, { namespace: 'kube-system', name: 'replica-set-controller' }),
  identity: process.env.HOSTNAME ?? 'local',
  onStartedLeading: (leading) => controller.run(leading),
});
// Writes on behalf of the leader: once this replica no longer leads, they are refused and never sent.
const core = makeGuardedApiClient(kubeConfig, CoreV1Api, elector);

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
    const { namespace = '', name = '' } = replicaSet.metadata ?? {};
    const owned = podInformer.lister.namespace(namespace).list();
    signal.throwIfAborted(); // leadership lost or stopping: write nothing more
    const summary: V1ConfigMap = {
      metadata: { name: `${name}-pods`, namespace },
      data: { pods: `${owned.length}` },
    };
    // A throw is retried through the rate limiter.
    await core
      .replaceNamespacedConfigMap({ name: `${name}-pods`, namespace, body: summary })
      .catch((error: { code?: number }) => {
        if (error.code !== 404) throw error;
        return core.createNamespacedConfigMap({ namespace, body: summary });
      });
  },
});

factory.start(stop.signal); // every replica keeps its caches warm; only the leader reconciles
await elector.run(stop.signal);
