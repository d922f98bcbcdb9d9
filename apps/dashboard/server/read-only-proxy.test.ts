import { createServer, type Server } from 'node:http';
import { kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer, podFixture } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createReadOnlyProxy } from './read-only-proxy.mjs';

let fake: FakeApiServer | undefined;
let http: Server | undefined;
let api: ReturnType<typeof createReadOnlyProxy> | undefined;
const controller = new AbortController();

afterEach(async () => {
  api?.close();
  http?.closeAllConnections();
  await new Promise((resolve) => http?.close(resolve) ?? resolve(undefined));
  await fake?.close();
  http = fake = api = undefined;
});

/** The proxy in front of a fake cluster that only accepts the kubeconfig's token; resolves with its URL. */
async function proxyToFake(): Promise<string> {
  fake = await FakeApiServer.start({ seed: {}, tokens: ['proxy-only'] });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(fake.kubeconfig());
  const proxy = createReadOnlyProxy({
    transport: kubeConfigTransport(kubeConfig, { signal: controller.signal }),
    kubeConfig,
  });
  api = proxy;
  const server = createServer((request, response) => void proxy.handle(request, response));
  server.on('upgrade', (request, socket, head) => proxy.upgrade(request, socket, head));
  http = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
}

describe('the read-only proxy', () => {
  it('refuses writes, and a watch dropped upstream breaks the response instead of ending it with text', async () => {
    const url = await proxyToFake();
    const post = await fetch(`${url}/api/v1/namespaces/default/pods`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { reason: string }).reason).toBe('MethodNotAllowed');

    const list = (await (await fetch(`${url}/api/v1/pods`)).json()) as {
      metadata: { resourceVersion: string };
    };
    const watch = await fetch(
      `${url}/api/v1/pods?watch=true&resourceVersion=${list.metadata.resourceVersion}`,
    );
    expect(watch.status).toBe(200);
    const reader = watch.body?.getReader();
    const read = (async () => {
      let text = '';
      for (let next = await reader?.read(); next !== undefined && !next.done; next = await reader?.read())
        text += new TextDecoder().decode(next.value);
      return text;
    })();
    await expect.poll(() => fake?.watches.size).toBe(1);
    fake?.faults.closeWatches({ abrupt: true });
    await expect(read).rejects.toThrow();
  });

  it('relays WebSocket watches with its own credentials and refuses any other upgrade', async () => {
    const url = (await proxyToFake()).replace('http', 'ws');
    // A page offers a token of its own: the proxy drops it and authenticates as the kubeconfig says.
    const watch = new WebSocket(
      `${url}/api/v1/namespaces/shop/pods?watch=true&resourceVersion=${fake?.resourceVersion}`,
      ['base64url.bearer.authorization.k8s.io.bm90LXZhbGlk', 'v4.channel.k8s.io'],
    );
    const firstFrame = new Promise<string>((resolve, reject) => {
      watch.once('message', (data) => resolve(String(data)));
      watch.once('error', reject);
    });
    await new Promise((resolve, reject) => {
      watch.once('open', resolve);
      watch.once('error', reject);
    });
    expect(watch.protocol).toBe('v4.channel.k8s.io');
    fake?.store.create('pods', podFixture({ name: 'through-the-relay', namespace: 'shop' }));
    expect(JSON.parse(await firstFrame)).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'through-the-relay' } },
    });
    watch.close();

    const exec = new WebSocket(`${url}/api/v1/namespaces/shop/pods/x/exec?command=sh`);
    const refused = await new Promise<number>((resolve) => {
      exec.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      exec.once('error', () => resolve(-1));
    });
    expect(refused).toBe(403);
  });

  it('answers a watch WebSocket the cluster refuses with the cluster status, and goes on relaying', async () => {
    const url = (await proxyToFake()).replace('http', 'ws');
    const path = `${url}/api/v1/pods?watch=true&resourceVersion=${fake?.resourceVersion}`;
    fake?.faults.failNextRequests({ verb: 'watch', count: 1, status: 503 });
    const refusedWatch = new WebSocket(path);
    const refused = await new Promise<number>((resolve) => {
      refusedWatch.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      refusedWatch.once('error', () => resolve(-1));
    });
    expect(refused).toBe(503);

    const watch = new WebSocket(path);
    await new Promise((resolve, reject) => {
      watch.once('open', resolve);
      watch.once('error', reject);
    });
    watch.close();
  });
});
