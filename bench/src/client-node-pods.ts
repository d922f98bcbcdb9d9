import { CoreV1Api, KubeConfig, makeInformer, type V1Pod } from '@kubernetes/client-node';
import type { CaseConfig } from './case-support.js';

/**
 * A pods informer of `@kubernetes/client-node`, set up as its README shows: `makeInformer` over
 * `listPodForAllNamespaces` (whose answer goes through its ObjectSerializer, as users get it). It has no
 * transform hook, so `strip` and `prune` delete `managedFields` in add/update handlers, the usual workaround.
 */
export function createClientNodePodInformer(config: CaseConfig) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(config.kubeconfigPath);
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const informer = makeInformer<V1Pod>(kubeConfig, '/api/v1/pods', () => api.listPodForAllNamespaces());
  const errors: unknown[] = [];
  informer.on('error', (error) => errors.push(error));
  if (config.transform === 'strip' || config.transform === 'prune') {
    const strip = (pod: V1Pod) => {
      if (pod.metadata !== undefined) delete pod.metadata.managedFields;
    };
    informer.on('add', strip);
    informer.on('update', strip);
  }
  return {
    informer,
    errors,
    /** Lists and opens the watch; resolves once the list is in the cache and the watch is requested. */
    async sync(): Promise<void> {
      await informer.start();
    },
    async stop(): Promise<void> {
      await informer.stop();
    },
  };
}
