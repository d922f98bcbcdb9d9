import {
  byLabel,
  createController,
  createEventRecorder,
  finalizer,
  type InformerFactory,
  type KubeInformersError,
  LeaderElector,
  ReconcileError,
  type SharedInformer,
} from '@kubeinformers/core';
import {
  configMaps,
  createEventSink,
  createFinalizerClient,
  createLeaseLock,
  makeGuardedApiClient,
  nodes,
  type Wire,
} from '@kubeinformers/k8s-client-adapter';
import type { KubeInformersMetrics } from '@kubeinformers/opentelemetry';
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
/** Held on each node until its ConfigMap is deleted. */
const nodeFinalizer = 'kubeinformers.dev/pods-per-node';

export interface PodsPerNodeController {
  /** Resolves once every node's ConfigMap lists exactly that node's pods (or `signal` aborts). */
  converged(signal: AbortSignal): Promise<void>;
  /** Resolves when the elector and the controller stopped. */
  readonly stopped: Promise<void>;
}

/**
 * A small controller, run under leader election: one ConfigMap `pods-on-<node>` per node, listing the
 * pods scheduled there. Nodes are the primary objects; a pod maps to its node, a ConfigMap to the node
 * in its label (so a ConfigMap edited or deleted by hand is repaired). Every write (ConfigMaps, the
 * finalizer's patches, Events) goes through the official client, guarded by the elector; a failed
 * write is retried through the controller's rate limiter. Each
 * node carries the controller's finalizer, so a deleted node's ConfigMap is deleted before the node goes;
 * each ConfigMap write is recorded as a Kubernetes Event on it (`kubectl describe configmap`); the work
 * queue reports client-go's metrics.
 */
export function startPodsPerNodeController(options: {
  readonly factory: InformerFactory;
  readonly podInformer: SharedInformer<Wire<V1Pod>, 'byIP'>;
  readonly kubeConfig: KubeConfig;
  readonly identity: string;
  readonly terminal: Terminal;
  readonly signal: AbortSignal;
  readonly metrics: KubeInformersMetrics;
}): PodsPerNodeController {
  const { factory, podInformer, kubeConfig, terminal, signal, metrics } = options;
  const nodeInformer = factory.informerFor(nodes);
  const configMapInformer = factory.informerFor(configMaps, { namespace: controllerNamespace });
  // Every replica keeps its caches warm; only the leader runs the workers.
  factory.start(signal);
  let leaderWork: Promise<void> = Promise.resolve();
  const electorStop = new AbortController();
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
      // On Ctrl-C (`signal`) the last reconciles finish and their Events are written while this replica
      // still leads: the guarded clients refuse every write once it does not. Only then does the
      // elector stop and release the lease.
      leaderWork = (async () => {
        await controller.run(AbortSignal.any([leading, signal]));
        // Stopping: write the last counts and leave no retry timer to hold the process open.
        await (signal.aborted ? recorder.close() : recorder.flush());
      })();
      await leaderWork;
    },
    onStoppedLeading: () => terminal.line('election', `${options.identity} stopped leading; lease released`),
    onError: (error: KubeInformersError | Error) => terminal.line('election', String(error), 'yellow'),
  });
  // Writes go out only while this replica leads: a replaced leader's are refused, never sent.
  const api = makeGuardedApiClient(kubeConfig, CoreV1Api, elector);
  // The finalizer patches and Event writes too.
  const finalizerClient = createFinalizerClient(kubeConfig, nodes, { guard: elector });
  const recorder = createEventRecorder({
    sink: createEventSink(kubeConfig, { guard: elector }),
    reportingController: 'kubeinformers.dev/pods-per-node',
    reportingInstance: options.identity,
    onError: (error) => terminal.line('events', String(error), 'yellow'),
  });
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
    metrics: metrics.workQueue('pods-per-node'),
    reconcile: async (node, { signal: reconciling }) => {
      const name = configMapName(node);
      const existing = current(node);
      const nodeObject = nodeInformer.store.getByKey(node);
      if (nodeObject === undefined) {
        // Gone without our cleanup (our finalizer was removed by someone else): clean up now.
        if (existing !== undefined)
          await api.deleteNamespacedConfigMap({ name, namespace: controllerNamespace });
        return;
      }
      await finalizer(
        finalizerClient,
        nodeFinalizer,
        nodeObject,
        {
          apply: () => writeConfigMap(node, existing),
          cleanup: async () => {
            if (existing === undefined) return;
            await api.deleteNamespacedConfigMap({ name, namespace: controllerNamespace });
            terminal.line('controller', `deleted configmap ${name}: node ${node} is being deleted`, 'green');
          },
        },
        { signal: reconciling },
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

  metrics.observeWorkQueue(controller.queue);

  async function writeConfigMap(node: string, existing: ReturnType<typeof current>): Promise<void> {
    const name = configMapName(node);
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
    const written =
      existing === undefined
        ? await api.createNamespacedConfigMap({ namespace: controllerNamespace, body })
        : await api.replaceNamespacedConfigMap({ name, namespace: controllerNamespace, body });
    recorder.record(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: controllerNamespace,
        name,
        uid: written.metadata?.uid,
      },
      {
        type: 'Normal',
        reason: existing === undefined ? 'Created' : 'Updated',
        action: 'Write',
        note: `${count} pods on ${node}`,
      },
    );
    terminal.line(
      'controller',
      `${existing === undefined ? 'created' : 'updated'} configmap ${name}: ${count} pods`,
      'green',
    );
  }

  const stopElector = () => {
    // The elector reports a failure of the leader's work; here it only has to have ended.
    void leaderWork.catch(() => {}).then(() => electorStop.abort(signal.reason));
  };
  if (signal.aborted) stopElector();
  else signal.addEventListener('abort', stopElector, { once: true });
  const stopped = elector.run(electorStop.signal);

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
