import { type KubeConfigTransport, kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import type { DemoOptions } from './options.js';

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
    // The `demo` seed is the cluster the testing CLI serves with `--seed demo`: what you see here, you can
    // also explore with kubectl. Its pods take two list pages, so the sync progress has something to show.
    // Left running, the cluster behaves: its live changes (a rollout, a scale-down, a failing node) are
    // carried out by the server's simulated controllers and kubelets. `--once` walks a scripted, exactly
    // reproducible round instead, so it starts without them.
    const server = await FakeApiServer.start({
      tls: true,
      tokens: ['demo-token'],
      seed: 'demo',
      ...(options.once ? {} : { simulate: { podStartupMs: 1_500 } }),
    });
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
  // Every kubeconfig problem names the file it came from, so the message says what to fix and where.
  const source = options.kubeconfig ?? process.env.KUBECONFIG ?? 'the default kubeconfig (~/.kube/config)';
  try {
    if (options.kubeconfig === undefined) kubeConfig.loadFromDefault();
    else kubeConfig.loadFromFile(options.kubeconfig);
  } catch (error) {
    throw new Error(`cannot read the kubeconfig ${source}: ${readProblem(error)}`);
  }
  if (options.context !== undefined) {
    if (kubeConfig.getContextObject(options.context) == null) {
      throw new Error(`the kubeconfig ${source} has no context named "${options.context}"`);
    }
    kubeConfig.setCurrentContext(options.context);
  }
  let transport: KubeConfigTransport;
  try {
    transport = kubeConfigTransport(kubeConfig);
  } catch (error) {
    // The adapter's message speaks of "the KubeConfig"; here the reader knows it as a file.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message.startsWith('the KubeConfig')
        ? message.replace('the KubeConfig', `the kubeconfig ${source}`)
        : `the kubeconfig ${source}: ${message}`,
    );
  }
  return {
    transport,
    kubeConfig,
    embeddedServer: undefined,
    description: `${kubeConfig.getCurrentCluster()?.server ?? 'unknown server'} (context ${kubeConfig.getCurrentContext()}, read-only)`,
    close: () => transport.close(),
  };
}

/** Why a kubeconfig file could not be loaded, in words (a missing file, a directory, YAML that does not parse). */
function readProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}
