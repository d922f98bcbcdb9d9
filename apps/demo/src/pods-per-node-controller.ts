import {
  byLabel,
  createController,
  type InformerFactory,
  type KubeInformersError,
  LeaderElector,
  ReconcileError,
  type SharedInformer,
} from '@kubeinformers/core';
import {
  configMaps,
  createLeaseLock,
  makeGuardedApiClient,
  nodes,
  type Wire,
} from '@kubeinformers/k8s-client-adapter';
import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
  type V1Pod,
} from '@kubernetes/client-node';
import type { Terminal } from './terminal.js';

/** Where the controller keeps its ConfigMaps and its Lease. */
export const controllerNamespace = 'kube-system';
const nodeLabel = 'kubeinformers.dev/node';

export interface PodsPerNodeController {
  /** Resolves once every node's ConfigMap lists exactly that node's pods (or `signal` aborts). */
  converged(signal: AbortSignal): Promise<void>;
  /** Resolves when the elector and the controller stopped. */
  readonly stopped: Promise<void>;
}

/**
 * A small controller, run under leader election: one ConfigMap `pods-on-<node>` per node, listing the
 * pods scheduled there. Nodes are the primary objects; a pod maps to its node, a ConfigMap to the node
 * in its label (so a ConfigMap edited or deleted by hand is repaired). Writes go through the official
 * client, guarded by the elector; a failed write is retried through the controller's rate limiter.
 */
export function startPodsPerNodeController(options: {
  readonly factory: InformerFactory;
  readonly podInformer: SharedInformer<Wire<V1Pod>, 'byIP'>;
  readonly kubeConfig: KubeConfig;
  readonly identity: string;
  readonly terminal: Terminal;
  readonly signal: AbortSignal;
}): PodsPerNodeController {
  const { factory, podInformer, kubeConfig, terminal, signal } = options;
  const nodeInformer = factory.informerFor(nodes);
  const configMapInformer = factory.informerFor(configMaps, { namespace: controllerNamespace });
  // Every replica keeps its caches warm; only the leader runs the workers.
  factory.start(signal);
  const elector = new LeaderElector({
    lock: createLeaseLock(kubeConfig, { namespace: controllerNamespace, name: 'pods-per-node' }),
    identity: options.identity,
    onNewLeader: (leader) => terminal.line('election', `leader is ${leader}`),
    onStartedLeading: async (leading) => {
      terminal.line(
        'election',
        `${options.identity} leads: the controller starts after its caches sync`,
        'green',
      );
      await controller.run(leading);
    },
    onStoppedLeading: () => terminal.line('election', `${options.identity} stopped leading; lease released`),
    onError: (error: KubeInformersError | Error) => terminal.line('election', String(error), 'yellow'),
  });
  // Writes go out only while this replica leads: a replaced leader's are refused, never sent.
  const api = makeGuardedApiClient(kubeConfig, CoreV1Api, elector);
  const podsOn = (node: string) =>
    podInformer.store
      .list()
      .filter((pod) => pod.spec?.nodeName === node)
      .map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`)
      .sort()
      .join('\n');
  const configMapName = (node: string) => `pods-on-${node}`;
  const current = (node: string) =>
    configMapInformer.store.getByKey(`${controllerNamespace}/${configMapName(node)}`);

  const controller = createController({
    name: 'pods-per-node',
    primary: nodeInformer,
    secondaries: [
      { informer: podInformer, toPrimaryKeys: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) },
      { informer: configMapInformer, toPrimaryKeys: byLabel(nodeLabel, { namespaced: false }) },
    ],
    workers: 2,
    reconcile: async (node) => {
      const name = configMapName(node);
      const existing = current(node);
      if (nodeInformer.store.getByKey(node) === undefined) {
        if (existing !== undefined)
          await api.deleteNamespacedConfigMap({ name, namespace: controllerNamespace });
        return;
      }
      const pods = podsOn(node);
      if (existing?.data?.pods === pods) return;
      const body: V1ConfigMap = {
        metadata: {
          name,
          namespace: controllerNamespace,
          labels: { [nodeLabel]: node },
          ...(existing?.metadata?.resourceVersion === undefined
            ? {}
            : { resourceVersion: existing.metadata.resourceVersion }),
        },
        data: { pods },
      };
      const count = pods === '' ? 0 : pods.split('\n').length;
      if (existing === undefined)
        await api.createNamespacedConfigMap({ namespace: controllerNamespace, body });
      else await api.replaceNamespacedConfigMap({ name, namespace: controllerNamespace, body });
      terminal.line(
        'controller',
        `${existing === undefined ? 'created' : 'updated'} configmap ${name}: ${count} pods`,
        'green',
      );
    },
    onError: (error) => {
      if (error instanceof ReconcileError) {
        const cause = error.cause instanceof ApiException ? `HTTP ${error.cause.code}` : String(error.cause);
        terminal.line(
          'controller',
          `${error.code} ${error.key} (attempt ${error.attempt + 1}, ${cause}): retried by the rate limiter`,
          'yellow',
        );
      } else terminal.line('controller', String(error), 'red');
    },
  });

  const stopped = elector.run(signal);

  return {
    stopped,
    async converged(until) {
      const done = () =>
        nodeInformer.hasSynced() &&
        controller.queue.length === 0 &&
        controller.queue.waitingCount === 0 &&
        controller.queue.unfinishedWork().inProgress === 0 &&
        nodeInformer.store
          .list()
          .every(
            (node) => current(node.metadata?.name ?? '')?.data?.pods === podsOn(node.metadata?.name ?? ''),
          );
      while (!done()) {
        until.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
