import { createInformerFactory, type ReflectorMetrics, stripManagedFields } from '@kubeinformers/core';
import { kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';
import type { CaseConfig } from './case-support.js';

/**
 * A pods informer of kubeinformers over HTTP, set up as the README tells users to: a KubeConfig, the
 * adapter's transport (defaults), a factory, one informer. No custom index, as the official client has
 * none either (the lookup case adds one after the sync).
 */
export function createPodInformer(
  config: CaseConfig,
  extra: { readonly reflectorMetrics?: (informerName: string) => ReflectorMetrics } = {},
) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(config.kubeconfigPath);
  const transport = kubeConfigTransport(kubeConfig);
  const errors: unknown[] = [];
  const factory = createInformerFactory(transport, {
    onError: (error) => errors.push(error),
    ...(extra.reflectorMetrics === undefined ? {} : { reflectorMetrics: extra.reflectorMetrics }),
  });
  const informer = factory.informerFor(pods, {
    transform: config.transform === 'strip' ? stripManagedFields : undefined,
    pruneManagedFields: config.transform === 'prune',
  });
  const controller = new AbortController();
  return {
    informer,
    errors,
    /** Starts the informer and resolves once its store holds the initial list. */
    async sync(): Promise<void> {
      factory.start(controller.signal);
      await factory.waitForCacheSync(controller.signal);
    },
    /** Stops the informer and closes its connections; the store stays readable. */
    async stop(): Promise<void> {
      controller.abort();
      await factory.shutdown();
      await transport.close();
    },
  };
}
