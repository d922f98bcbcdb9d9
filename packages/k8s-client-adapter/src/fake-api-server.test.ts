import {
  createBackoffPolicy,
  createInformerFactory,
  type DeepReadonly,
  type InformerFactory,
  type KubeInformersError,
  TransportError,
  UnauthorizedError,
} from '@kubeinformers/core';
import { FakeApiServer, type FakeApiServerOptions, podFixture } from '@kubeinformers/testing';
import { KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodes, pods, replicaSets, services } from './built-in-resources.js';
import { kubeConfigTransport } from './kube-config-transport.js';
import { createExecPlugin, type ExecPlugin } from './test-support/exec-plugin.js';
import type { Wire } from './wire.js';

// The core factory through this adapter against the fake API server, over real HTTPS.

const bounded = { timeout: 10_000, interval: 10 };
// Retries within milliseconds, so recoveries need no long waits; the schedule itself is core's concern.
const backoff = createBackoffPolicy({ initialDelayMs: 10, maxDelayMs: 50 });
const byIP = (pod: DeepReadonly<Wire<V1Pod>>) => pod.status?.podIPs?.map((entry) => entry.ip) ?? [];

interface Harness {
  readonly server: FakeApiServer;
  readonly factory: InformerFactory;
  readonly errors: KubeInformersError[];
  readonly stop: AbortController;
}

let harness: Harness | undefined;
let plugin: ExecPlugin | undefined;
/** Handles that keep the process alive, counted before a test starts anything. */
let baseline: { sockets: number; timers: number } = { sockets: 0, timers: 0 };

function liveHandles(): { sockets: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((name) => name === 'TCPSocketWrap' || name === 'TLSWrap').length,
    timers: resources.filter((name) => name === 'Timeout').length,
  };
}

async function start(
  options: FakeApiServerOptions,
  kubeConfigFor: (server: FakeApiServer) => KubeConfig | Promise<KubeConfig>,
) {
  baseline = liveHandles();
  const server = await FakeApiServer.start(options);
  const stop = new AbortController();
  const errors: KubeInformersError[] = [];
  // One signal stops the informers and then closes every connection of the transport.
  const transport = kubeConfigTransport(await kubeConfigFor(server), { signal: stop.signal });
  const factory = createInformerFactory(transport, { backoff, onError: (error) => errors.push(error) });
  harness = { server, factory, errors, stop };
  return harness;
}

function fromServer(server: FakeApiServer, options?: Parameters<FakeApiServer['kubeconfig']>[0]) {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig(options));
  return kubeConfig;
}

afterEach(async () => {
  if (harness !== undefined) {
    const { server, factory, stop } = harness;
    harness = undefined;
    stop.abort();
    await factory.shutdown();
    // Aborting is enough: no socket on either side and no timer outlives the factory, so the test
    // process exits on its own. The server still listens, which is a server handle, not a socket.
    // Shorter than the hook's own timeout, so a leak fails with this assertion's message.
    await vi.waitFor(() => expect(liveHandles().sockets).toBe(0), { timeout: 5_000, interval: 10 });
    // Measured outside `vi.waitFor`, whose own timers would count.
    expect(liveHandles().timers).toBeLessThanOrEqual(baseline.timers);
    await server.close();
  }
  await plugin?.dispose();
  plugin = undefined;
});

describe('the core factory through kubeConfigTransport, against the fake API server', () => {
  it('runs the seed walkthrough over HTTPS with a bearer token', async () => {
    const { server, factory, errors, stop } = await start(
      { tls: true, tokens: ['walkthrough-token'], seed: 'demo' },
      (started) => fromServer(started),
    );
    const podInformer = factory.informerFor(pods, { indexers: { byIP } });
    const replicaSetInformer = factory.informerFor(replicaSets);
    const serviceInformer = factory.informerFor(services);
    const added: string[] = [];
    podInformer.addEventHandler({ onAdd: (pod) => void added.push(pod.metadata?.name ?? '') });
    factory.start(stop.signal);
    await factory.waitForCacheSync(AbortSignal.timeout(bounded.timeout));

    const expected = server.store.list<Wire<V1Pod>>('pods');
    expect(podInformer.store.listKeys().sort()).toEqual(
      expected.map((pod) => `${pod.metadata?.namespace}/${pod.metadata?.name}`).sort(),
    );
    expect(added).toHaveLength(expected.length);
    const [first] = expected;
    const key = `${first?.metadata?.namespace}/${first?.metadata?.name}`;
    expect(podInformer.store.getByKey(key)?.metadata?.uid).toBe(first?.metadata?.uid);
    // What `Wire<V1Pod>` promises: timestamps arrive as strings.
    expect(typeof podInformer.store.getByKey(key)?.metadata?.creationTimestamp).toBe('string');

    // Host-network pods answer on their node's IP: several pods share it.
    const nodeIP = server.store.list<Wire<V1Pod>>('pods').find((pod) => pod.spec?.hostNetwork)?.status?.podIP;
    expect(nodeIP).toBeDefined();
    const sharing = podInformer.store.byIndex('byIP', nodeIP ?? '');
    expect(sharing.length).toBeGreaterThanOrEqual(2);
    expect(sharing.every((pod) => pod.spec?.hostNetwork === true)).toBe(true);

    expect(replicaSetInformer.store.list()).toHaveLength(server.store.count('replicasets'));
    expect(serviceInformer.store.list().map((service) => service.metadata?.name)).toContain('web');

    // Changes arrive over the watch.
    server.store.create('pods', podFixture({ name: 'late-arrival', namespace: 'shop', podIP: '10.244.9.9' }));
    await vi.waitFor(() => expect(podInformer.store.byIndex('byIP', '10.244.9.9')).toHaveLength(1), bounded);
    expect(errors).toEqual([]);
  });

  it('authenticates with a client certificate issued by the cluster CA', async () => {
    const { server, factory, errors, stop } = await start(
      { tls: true, clientCertificates: true, seed: 'demo' },
      async (started) =>
        fromServer(started, { clientCertificate: await started.auth.issueClientCertificate('fake-user') }),
    );
    const nodeInformer = factory.informerFor(nodes);
    factory.start(stop.signal);
    await factory.waitForCacheSync(AbortSignal.timeout(bounded.timeout));
    expect(nodeInformer.store.listKeys().sort()).toEqual(
      server.store
        .list('nodes')
        .map((node) => node.metadata?.name)
        .sort(),
    );
    expect(errors).toEqual([]);
  });

  it('refreshes an exec plugin credential that expired while a watch reconnects', async () => {
    let serverTime = Date.now();
    plugin = await createExecPlugin();
    const execPlugin = plugin;
    // Each credential is already past its expirationTimestamp for the official client, which therefore
    // runs the plugin for every request; the server decides separately when a token stops working.
    const expired = new Date(Date.now() - 1000);
    await execPlugin.setCredential('exec-token-1', expired);
    const { server, factory, errors, stop } = await start(
      {
        tls: true,
        tokens: [{ token: 'exec-token-1', expiresAt: new Date(serverTime + 60_000) }],
        now: () => new Date(serverTime),
      },
      (started) => {
        const kubeConfig = fromServer(started);
        kubeConfig.loadFromOptions({
          clusters: kubeConfig.getClusters(),
          contexts: kubeConfig.getContexts(),
          users: [{ name: kubeConfig.getCurrentUser()?.name, ...execPlugin.user }],
          currentContext: kubeConfig.getCurrentContext(),
        });
        return kubeConfig;
      },
    );
    const podInformer = factory.informerFor(pods);
    factory.start(stop.signal);
    await factory.waitForCacheSync(AbortSignal.timeout(bounded.timeout));
    const runsBeforeRotation = await execPlugin.runs();

    // The first token expires on the server; the plugin now issues the second.
    serverTime += 120_000;
    server.auth.addToken('exec-token-2');
    await execPlugin.setCredential('exec-token-2', expired);
    await vi.waitFor(() => expect(server.watches.size).toBe(1), bounded);
    expect(server.faults.closeWatches()).toBe(1);

    server.store.create('pods', podFixture({ name: 'after-rotation', namespace: 'default' }));
    await vi.waitFor(
      () => expect(podInformer.store.getByKey('default/after-rotation')).toBeDefined(),
      bounded,
    );
    expect(await execPlugin.runs()).toBeGreaterThan(runsBeforeRotation);
    expect(errors).toEqual([]);
  });

  it('surfaces a refused token as a typed 401 and recovers once the token is accepted', async () => {
    const { server, factory, errors, stop } = await start(
      { tls: true, tokens: ['accepted-token'] },
      (started) => fromServer(started, { token: 'not-yet-valid-token' }),
    );
    const podInformer = factory.informerFor(pods);
    factory.start(stop.signal);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), bounded);
    const [refused] = errors;
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect(refused).toMatchObject({ code: 'KI_API_UNAUTHORIZED', statusCode: 401 });
    expect(`${refused?.message} ${refused?.stack}`).not.toContain('not-yet-valid-token');
    expect(podInformer.hasSynced()).toBe(false);

    server.auth.addToken('not-yet-valid-token');
    await factory.waitForCacheSync(AbortSignal.timeout(bounded.timeout));
    expect(podInformer.hasSynced()).toBe(true);
  });

  it('refuses a server whose certificate no configured CA signed', async () => {
    const { factory, errors, stop } = await start({ tls: true, tokens: ['token'] }, (started) =>
      withCluster(fromServer(started), { server: started.url, skipTLSVerify: false }),
    );
    const podInformer = factory.informerFor(pods);
    factory.start(stop.signal);
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), bounded);
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect(podInformer.hasSynced()).toBe(false);
  });

  it('skips verification only where the kubeconfig says insecure-skip-tls-verify', async () => {
    const { factory, errors, stop } = await start({ tls: true, tokens: ['token'] }, (started) =>
      withCluster(fromServer(started), { server: started.url, skipTLSVerify: true }),
    );
    factory.informerFor(pods);
    factory.start(stop.signal);
    await factory.waitForCacheSync(AbortSignal.timeout(bounded.timeout));
    expect(errors).toEqual([]);
  });
});

/** The kubeconfig with its cluster replaced (no CA unless given). */
function withCluster(
  kubeConfig: KubeConfig,
  cluster: { server: string; skipTLSVerify: boolean },
): KubeConfig {
  const name = kubeConfig.getCurrentCluster()?.name;
  kubeConfig.loadFromOptions({
    clusters: [{ name, ...cluster }],
    contexts: kubeConfig.getContexts(),
    users: kubeConfig.getUsers(),
    currentContext: kubeConfig.getCurrentContext(),
  });
  return kubeConfig;
}
