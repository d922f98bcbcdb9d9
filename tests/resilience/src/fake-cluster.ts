import { randomBytes } from 'node:crypto';
import { kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { ObservedTransport } from './observed-transport.js';

export interface FakeCluster {
  readonly server: FakeApiServer;
  /** The bearer token the informers authenticate with, to search their errors for. */
  readonly token: string;
  /** Counts requests and can fail the next one; wraps the adapter's transport. */
  readonly transport: ObservedTransport;
  /** Closes the adapter's connections, then the server. */
  close(): Promise<void>;
}

/**
 * A fake API server over TLS with a fresh random token, reached through `kubeConfigTransport` from the
 * kubeconfig it hands out: the same path a real cluster takes, for the chaos run and the soak.
 */
export async function startFakeCluster(options: {
  readonly tokenPrefix: string;
  readonly watchHistorySize: number;
  readonly bookmarkIntervalMs: number;
}): Promise<FakeCluster> {
  const token = `${options.tokenPrefix}-${randomBytes(12).toString('hex')}`;
  const server = await FakeApiServer.start({
    tls: true,
    tokens: [token],
    watchHistorySize: options.watchHistorySize,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  const adapter = kubeConfigTransport(kubeConfig);
  return {
    server,
    token,
    transport: new ObservedTransport(adapter),
    async close() {
      await adapter.close();
      await server.close();
    },
  };
}
