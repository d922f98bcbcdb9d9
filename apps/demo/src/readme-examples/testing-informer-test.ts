import { createInformerFactory } from '@kubeinformers/core';
import { kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, expect, it, vi } from 'vitest';

let server: FakeApiServer | undefined;
afterEach(() => server?.close());

it('finds a pod deleted while the informer could not see it', async () => {
  server = await FakeApiServer.start({ seed: 'demo', tls: true, tokens: ['test-token'] });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig()); // CA and token embedded; nothing written to disk
  const transport = kubeConfigTransport(kubeConfig);
  const controller = new AbortController();
  const factory = createInformerFactory(transport);
  const podInformer = factory.informerFor(pods, { namespace: 'shop' });
  factory.start(controller.signal);
  await factory.waitForCacheSync(controller.signal);
  const key = podInformer.store.listKeys()[0] ?? '';

  server.faults.stallWatches(); // watches stay open but deliver nothing
  server.store.delete('pods', key); // so this deletion is never seen as an event
  server.faults.compact(); // and the rewatch will get 410 Expired
  server.faults.closeWatches({ abrupt: true });
  server.faults.resumeWatches();

  await vi.waitFor(() => expect(podInformer.store.getByKey(key)).toBeUndefined(), { timeout: 10_000 });
  controller.abort();
  await factory.shutdown();
  await transport.close();
});
