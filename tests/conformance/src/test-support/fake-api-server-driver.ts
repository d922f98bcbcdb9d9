import { ManualClock } from '@kubeinformers/core';
import { kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import {
  type ConfigMap,
  type ConfigMapInput,
  configMapOf,
  type ListWatchDriver,
} from './list-watch-driver.js';

/**
 * `FakeApiServer` over real HTTP on loopback, reached through the adapter's transport with the server's
 * own kubeconfig, as an informer would reach it. Its clock is a `ManualClock`, moved only by a scenario.
 */
export async function startFakeApiServerDriver(): Promise<ListWatchDriver> {
  const clock = new ManualClock();
  // Periodic bookmarks are off: the protocol lets a server send them or not (clients must not depend on
  // them), the in-memory API sends them only when asked, and scenarios ask both for them explicitly.
  const server = await FakeApiServer.start({ clock, bookmarkIntervalMs: 0 });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  const transport = kubeConfigTransport(kubeConfig);
  let closing: Promise<void> | undefined;
  return {
    name: 'FakeApiServer',
    transport,
    get resourceVersion() {
      return server.resourceVersion;
    },
    create: (input: ConfigMapInput) => server.store.create<ConfigMap>('configmaps', configMapOf(input)),
    update: (input: ConfigMapInput) => server.store.update<ConfigMap>('configmaps', configMapOf(input)),
    delete: (key: string) => server.store.delete<ConfigMap>('configmaps', key),
    compact: () => server.faults.compact(),
    dropWatches: () => void server.faults.closeWatches(),
    sendBookmarks: () => server.watches.sendBookmarks(),
    setShardedListAndWatch: (enabled: boolean) => {
      server.featureGates.ShardedListAndWatch = enabled;
    },
    advanceTime: (milliseconds: number) => clock.advance(milliseconds),
    close: () => {
      closing ??= (async () => {
        // The session aborted its requests already; the transport's close waits for nothing then.
        await transport.close();
        await server.close();
      })();
      return closing;
    },
  };
}
