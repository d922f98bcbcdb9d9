import {
  createInformerFactory,
  type InformerFactory,
  type KubeInformersError,
  type KubeObject,
} from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pods } from './built-in-resources.js';
import { type KubeConfigTransport, kubeConfigTransport } from './kube-config-transport.js';
import { BlackHoleProxy } from './test-support/black-hole-proxy.js';

// Real sockets, so real time: undici's PING timer cannot take an injected clock. The health check runs
// on shortened timings (a PING every 300 ms, 150 ms to answer), so every wait below is a few seconds
// at most.
const readIdleTimeoutMs = 300;
const pingTimeoutMs = 150;
const bound = readIdleTimeoutMs + pingTimeoutMs;

let server: FakeApiServer;
let proxy: BlackHoleProxy;
let transport: KubeConfigTransport;
let factory: InformerFactory | undefined;
let controller: AbortController;
const pod = (name: string) =>
  ({
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1' }] },
  }) as KubeObject;

afterEach(async () => {
  controller.abort();
  await factory?.shutdown();
  await transport?.close();
  await proxy?.close();
  await server?.close();
});

function kubeConfigThrough(port: number): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(server.kubeconfig());
  const cluster = config.getCurrentCluster();
  const server_ = new URL(cluster?.server ?? '');
  server_.port = String(port);
  const clusters = config.clusters.map((entry) =>
    entry.name === cluster?.name ? { ...entry, server: server_.origin } : entry,
  );
  config.loadFromOptions({
    clusters,
    users: config.users,
    contexts: config.contexts,
    currentContext: config.currentContext,
  });
  return config;
}

async function informerThroughBlackHoleProxy(http2: boolean) {
  server = await FakeApiServer.start({ tls: true, http2, tokens: ['secret'] });
  server.store.create('pods', pod('first'));
  controller = new AbortController();
  const upstream = new KubeConfig();
  upstream.loadFromString(server.kubeconfig());
  proxy = await BlackHoleProxy.start(Number(new URL(upstream.getCurrentCluster()?.server ?? '').port));
  transport = kubeConfigTransport(kubeConfigThrough(proxy.port), {
    connectionHealthCheck: { readIdleTimeoutMs, pingTimeoutMs },
  });
  const errors: KubeInformersError[] = [];
  factory = createInformerFactory(transport, { onError: (error) => errors.push(error) });
  const informer = factory.informerFor(pods);
  factory.start(controller.signal);
  await factory.waitForCacheSync(AbortSignal.timeout(10_000));
  await vi.waitFor(() => expect(server.watches.size).toBe(1), { timeout: 5_000, interval: 5 });
  return { informer, errors };
}

describe('HTTP/2 connection health check', () => {
  it('keeps a quiet, live connection: every PING is answered', async () => {
    const { errors } = await informerThroughBlackHoleProxy(true);
    // Five PING intervals without a single event on the watch.
    const quietUntil = performance.now() + 5 * readIdleTimeoutMs;
    await vi.waitFor(() => expect(performance.now()).toBeGreaterThan(quietUntil), {
      timeout: 10 * readIdleTimeoutMs,
      interval: 20,
    });
    expect(errors).toEqual([]);
    expect(server.watches.size).toBe(1);
  });

  it(`closes a black-holed connection within the PING interval plus the PING timeout (${bound} ms here, 45 s by default), and the watch reopens`, async () => {
    const { informer, errors } = await informerThroughBlackHoleProxy(true);
    expect(proxy.blackHole()).toBe(1);
    const blackHoledAt = performance.now();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 20 * bound, interval: 5 });
    const detectedAt = performance.now();
    const detectedMs = detectedAt - blackHoledAt;
    // The client's read-idle timer started at the last bytes it got, which can be before the black hole.
    const idleMs = detectedAt - Math.min(proxy.lastDeliveredAt, blackHoledAt);
    console.info(
      `black-holed HTTP/2 watch detected after ${Math.round(detectedMs)} ms, ${Math.round(idleMs)} ms after its last bytes (bound ${bound} ms)`,
    );
    expect(errors[0]?.code).toBe('KI_TRANSPORT_ERROR');
    expect(String((errors[0] as Error & { cause?: unknown }).cause)).toContain('PING unanswered');
    // Detection never comes before the bound minus the sampling slack (a live peer has that long).
    expect(idleMs).toBeGreaterThanOrEqual(bound - (2 * pingTimeoutMs) / 6 - 20);
    // And not much after it: timers on a busy machine fire late, by far less than the 45 s bound itself.
    expect(detectedMs).toBeLessThan(3 * bound);
    // The watch reopened at once on a new connection (it had been open over a second: no backoff).
    server.store.create('pods', pod('second'));
    await vi.waitFor(() => expect(informer.store.getByKey('default/second')).toBeDefined(), {
      timeout: 5_000,
      interval: 5,
    });
  });

  it('leaves HTTP/1.1 connections to the bookmark cadence (no PING to ask with)', async () => {
    const { errors } = await informerThroughBlackHoleProxy(false);
    proxy.blackHole();
    const until = performance.now() + 3 * bound;
    await vi.waitFor(() => expect(performance.now()).toBeGreaterThan(until), {
      timeout: 10 * bound,
      interval: 20,
    });
    expect(errors).toEqual([]);
  });
});
