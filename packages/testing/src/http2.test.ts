import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeApiServer } from './fake-api-server.js';
import { findKubectl } from './test-support/cli-process.js';
import { within } from './test-support/http-client.js';

// The API server speaks HTTP/2 to clients that offer it (client-go does, and pings its connections);
// the fake one does too when asked, and HTTP/1.1 to everyone else on the same port.

let server: FakeApiServer;
afterEach(async () => {
  await server?.close();
});

const pod = (name: string) => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
});

async function start(): Promise<{ url: URL; ca: string }> {
  server = await FakeApiServer.start({ tls: true, http2: true, tokens: ['secret'] });
  const config = new KubeConfig();
  config.loadFromString(server.kubeconfig());
  const cluster = config.getCurrentCluster();
  return {
    url: new URL(cluster?.server ?? ''),
    ca: Buffer.from(cluster?.caData ?? '', 'base64').toString(),
  };
}

describe('HTTP/2 with an HTTP/1.1 fallback', () => {
  it('negotiates h2 by ALPN, lists, and streams a watch over one connection, answering PINGs', async () => {
    const { url, ca } = await start();
    server.store.create('pods', pod('first'));
    const session = connect(url.origin, { ca });
    try {
      await within(new Promise((resolve) => session.once('connect', resolve)), 5_000, 'h2 connect');
      expect(session.alpnProtocol).toBe('h2');
      const list = session.request({
        ':path': '/api/v1/namespaces/default/pods',
        authorization: 'Bearer secret',
      });
      let text = '';
      list.setEncoding('utf8');
      list.on('data', (chunk: string) => {
        text += chunk;
      });
      await within(new Promise((resolve) => list.once('end', resolve)), 5_000, 'list');
      const listed = JSON.parse(text) as { metadata: { resourceVersion: string }; items: unknown[] };
      expect(listed.items).toHaveLength(1);

      const watch = session.request({
        ':path': `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${listed.metadata.resourceVersion}`,
        authorization: 'Bearer secret',
      });
      watch.setEncoding('utf8');
      const lines: string[] = [];
      watch.on('data', (chunk: string) => lines.push(chunk));
      await within(new Promise((resolve) => watch.once('response', resolve)), 5_000, 'watch headers');
      server.store.create('pods', pod('second'));
      await within(
        (async () => {
          while (!lines.join('').includes('"second"')) await new Promise((resolve) => setTimeout(resolve, 5));
        })(),
        5_000,
        'watch event',
      );
      expect(JSON.parse(lines.join('').trim().split('\n')[0] as string)).toMatchObject({ type: 'ADDED' });
      const rtt = await within(
        new Promise<number>((resolve, reject) =>
          session.ping((error, duration) => (error ? reject(error) : resolve(duration))),
        ),
        5_000,
        'ping ack',
      );
      expect(rtt).toBeGreaterThanOrEqual(0);
      watch.close();
    } finally {
      session.close();
    }
  });

  it('still serves HTTP/1.1 clients on the same port', async () => {
    const { url, ca } = await start();
    const status = await within(
      new Promise<number | undefined>((resolve, reject) => {
        const request = httpsRequest(
          `${url.origin}/api/v1/namespaces`,
          { ca, headers: { authorization: 'Bearer secret' } }, // no ALPN offered: HTTP/1.1
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.on('error', reject);
        request.end();
      }),
      5_000,
      'HTTP/1.1 request',
    );
    expect(status).toBe(200);
  });

  it('serves @kubernetes/client-node', async () => {
    await start();
    server.store.create('pods', pod('first'));
    const config = new KubeConfig();
    config.loadFromString(server.kubeconfig());
    const pods = await config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default' });
    expect(pods.items.map((item) => item.metadata?.name)).toEqual(['first']);
  });

  const kubectl = findKubectl();
  it.skipIf(kubectl === undefined)('serves kubectl (client-go, which prefers h2)', async () => {
    await start();
    server.store.create('pods', pod('first'));
    const directory = mkdtempSync(join(tmpdir(), 'fake-apiserver-h2-'));
    try {
      const kubeconfig = join(directory, 'config');
      writeFileSync(kubeconfig, server.kubeconfig());
      const { stdout } = await promisify(execFile)(
        kubectl as string,
        ['--kubeconfig', kubeconfig, 'get', 'pods', '-n', 'default', '-o', 'name', '-v', '6'],
        { timeout: 30_000 },
      );
      expect(stdout.trim()).toBe('pod/first');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
