import {
  createController,
  createEventRecorder,
  createInformerFactory,
  finalizer,
  generationChanged,
} from '@kubeinformers/core';
import {
  createEventSink,
  createFinalizerClient,
  deployments,
  kubeConfigTransport,
} from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const stop = new AbortController();
const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }));
const deploymentInformer = factory.informerFor(deployments);
// Events `kubectl describe deployment` shows: a hot loop becomes one Event with a count.
const recorder = createEventRecorder({
  sink: createEventSink(kubeConfig),
  reportingController: 'example.com/dns-records',
  reportingInstance: process.env.HOSTNAME ?? 'local',
});
const finalizerClient = createFinalizerClient(kubeConfig, deployments);

const controller = createController({
  primary: deploymentInformer,
  // Spec changes only: status writes (every rollout step) do not reconcile again.
  filter: generationChanged,
  async reconcile(key, { signal }) {
    const deployment = deploymentInformer.store.getByKey(key);
    if (deployment === undefined) return; // gone, and our finalizer was removed before that
    try {
      await finalizer(
        finalizerClient,
        'example.com/dns-record',
        deployment,
        {
          // Runs only once our finalizer is on the object.
          apply: async (live) => console.log('create or update the DNS record of', live.metadata?.name),
          // A throw keeps the finalizer: the deletion waits, and the cleanup is retried.
          cleanup: async (deleting) => console.log('delete the DNS record of', deleting.metadata?.name),
        },
        { signal },
      );
      recorder.record(deployment, { type: 'Normal', reason: 'Synced', action: 'Sync' });
    } catch (error) {
      recorder.record(deployment, {
        type: 'Warning',
        reason: 'SyncFailed',
        action: 'Sync',
        note: String(error),
      });
      throw error; // retried with backoff
    }
  },
});

factory.start(stop.signal);
await controller.run(stop.signal);
await recorder.close(); // writes the counts not written yet, leaves no timer
