import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LeadershipLostError } from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { makeGuardedApiClient } from './guarded-api-client.js';
import { scriptedGuard } from './test-support/scripted-guard.js';

let server: FakeApiServer | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await server?.close();
  server = undefined;
  proxy = undefined;
});

/** The fake server behind a proxy that records the method of every request that reached it. */
async function recordedCluster(): Promise<{ kubeConfig: KubeConfig; methods: string[] }> {
  server = await FakeApiServer.start({});
  const upstream = new URL(server.url);
  const methods: string[] = [];
  proxy = createServer((incoming, outgoing) => {
    methods.push(incoming.method ?? '');
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  const port = (proxy.address() as AddressInfo).port;
  kubeConfig.clusters = kubeConfig.clusters.map((cluster) => ({
    ...cluster,
    server: `http://127.0.0.1:${port}`,
  }));
  return { kubeConfig, methods };
}

const configMap = (name: string) => ({ metadata: { name }, data: { written: 'yes' } });

describe('makeGuardedApiClient', () => {
  it('sends writes while the guard admits them, counting each until its answer arrived', async () => {
    const { kubeConfig, methods } = await recordedCluster();
    const guard = scriptedGuard([true]);
    const api = makeGuardedApiClient(kubeConfig, CoreV1Api, guard);
    const created = await api.createNamespacedConfigMap({ namespace: 'default', body: configMap('a') });
    expect(created.metadata?.name).toBe('a');
    // Checked when the request was built and again when its first byte went out.
    expect(guard.calls).toBe(2);
    expect(guard.inFlight).toBe(0);
    expect(methods).toEqual(['POST']);
    // Refusals by the server come back as the official client's own errors.
    const missing = await api
      .replaceNamespacedConfigMap({ name: 'absent', namespace: 'default', body: configMap('absent') })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiException);
    expect(missing).toMatchObject({ code: 404 });
  });

  it('refuses a write once the guard does, and nothing reaches the server; reads still pass', async () => {
    const { kubeConfig, methods } = await recordedCluster();
    const api = makeGuardedApiClient(kubeConfig, CoreV1Api, scriptedGuard([false]));
    const refused = await api
      .createNamespacedConfigMap({ namespace: 'default', body: configMap('b') })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LeadershipLostError);
    const listed = await api.listNamespacedConfigMap({ namespace: 'default' });
    expect(listed.items.map((item) => item.metadata?.name)).not.toContain('b');
    expect(methods).toEqual(['GET']);
  });

  it('asks again right before sending: leadership lost after the request was built stops it', async () => {
    const { kubeConfig, methods } = await recordedCluster();
    // Valid when the request is built, lost by the time its connection is ready to write.
    const guard = scriptedGuard([true, false]);
    const api = makeGuardedApiClient(kubeConfig, CoreV1Api, guard);
    const refused = await api
      .replaceNamespacedConfigMap({ name: 'c', namespace: 'default', body: configMap('c') })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LeadershipLostError);
    expect(guard.inFlight).toBe(0);
    expect(methods).toEqual([]);
  });
});
