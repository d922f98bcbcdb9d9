import { createInformerFactory, WaitTimeoutError, waitFor } from '@kubeinformers/core';
import { deployments, kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { KubeConfig } from '@kubernetes/client-node';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const stop = new AbortController();
const factory = createInformerFactory(kubeConfigTransport(kubeConfig, { signal: stop.signal }));
const informer = factory.informerFor(deployments, { namespace: 'shop' });
factory.start(stop.signal);

// `kubectl wait --for=jsonpath='{.status.availableReplicas}'=3 deployment/web`, on the cache.
try {
  const web = await waitFor(
    informer,
    (deployment) => deployment.metadata?.name === 'web' && deployment.status?.availableReplicas === 3,
    { timeoutMs: 120_000, signal: stop.signal },
  );
  console.log('web is available at generation', web.metadata?.generation);
} catch (error) {
  if (!(error instanceof WaitTimeoutError)) throw error;
  console.log('web did not become available within 2 minutes');
}

// Every change as a loop. A consumer that falls 1,000 events behind gets one `restarted` event holding
// the whole cache instead of the events it missed.
for await (const event of informer.events({ signal: stop.signal })) {
  if (event.type === 'restarted') console.log('resynced', event.objects.length, 'deployments');
  else console.log(event.type, event.object.metadata?.name);
}
