import { type KubeConfigTransport, kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer, type SeedOptions } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import type { DemoOptions } from './options.js';

/**
 * The embedded cluster: the testing package's small realistic one (three nodes' worth of system pods,
 * host-network pods sharing node IPs) with a few busier Deployments, so that the pods list takes two
 * pages of 500 (client-go's page size) and the sync progress has something to show.
 */
const embeddedSeed: SeedOptions = {
  nodes: 5,
  deployments: [
    { name: 'web', namespace: 'shop', replicas: 3 },
    { name: 'api', namespace: 'shop', replicas: 2, containerPort: 9090 },
    { name: 'coredns', namespace: 'kube-system', replicas: 2, containerPort: 53 },
    { name: 'checkout', namespace: 'shop', replicas: 40 },
    { name: 'search', namespace: 'shop', replicas: 80 },
    { name: 'ingest', namespace: 'data', replicas: 120 },
    { name: 'worker', namespace: 'data', replicas: 300 },
  ],
};

/** Where the demo's informers read from, and how to let go of it. */
export interface ClusterConnection {
  readonly transport: KubeConfigTransport;
  /** For writes through the official client (the controller step). */
  readonly kubeConfig: KubeConfig;
  /** The embedded server, which the demo may change; `undefined` on a real cluster (read-only there). */
  readonly embeddedServer: FakeApiServer | undefined;
  /** For the first line of output: which server, through which context. */
  readonly description: string;
  /** Closes the transport's connections, then the embedded server. Call after the informers stopped. */
  close(): Promise<void>;
}

/**
 * Connects the way an application would: through `kubeConfigTransport` over a `KubeConfig`. Without
 * `--kubeconfig`/`--context` it starts the embedded fake API server (TLS and a bearer token, seeded like
 * a small cluster) and loads the kubeconfig the server renders from a string, so nothing is written to
 * disk and the code path is the one a real cluster takes.
 */
export async function connectToCluster(options: DemoOptions): Promise<ClusterConnection> {
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig === undefined && options.context === undefined) {
    const server = await FakeApiServer.start({ tls: true, tokens: ['demo-token'], seed: embeddedSeed });
    kubeConfig.loadFromString(server.kubeconfig());
    const transport = kubeConfigTransport(kubeConfig);
    return {
      transport,
      kubeConfig,
      embeddedServer: server,
      description: `embedded fake API server at ${server.url} (TLS, bearer token, context ${kubeConfig.getCurrentContext()})`,
      close: async () => {
        await transport.close();
        await server.close();
      },
    };
  }
  if (options.kubeconfig === undefined) kubeConfig.loadFromDefault();
  else kubeConfig.loadFromFile(options.kubeconfig);
  if (options.context !== undefined) {
    if (kubeConfig.getContextObject(options.context) == null) {
      throw new Error(`the kubeconfig has no context named "${options.context}"`);
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const transport = kubeConfigTransport(kubeConfig);
  return {
    transport,
    kubeConfig,
    embeddedServer: undefined,
    description: `${kubeConfig.getCurrentCluster()?.server ?? 'unknown server'} (context ${kubeConfig.getCurrentContext()}, read-only)`,
    close: () => transport.close(),
  };
}
