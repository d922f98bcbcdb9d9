import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createInformerFactory,
  defineResource,
  type InformerFactory,
  type KubeObject,
} from '@kubeinformers/core';
import { FakeApiServer, podFixture } from '@kubeinformers/testing';
import { browserTransport, type WatchChannel } from '@kubeinformers/web';
import { afterEach, describe, expect, it } from 'vitest';

// `kubectl proxy` is how a page reaches a cluster without credentials of its own: the browser transport must
// list and watch through it, over both watch channels (it proxies WebSocket upgrades too).
const kubectl = ['/usr/bin/kubectl'].find((path) => existsSync(path));
if (kubectl === undefined) console.warn('\n!!! kubectl is missing: the kubectl proxy tests are SKIPPED.\n');

const pods = defineResource<KubeObject>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});

let proxy: ChildProcess | undefined;
let server: FakeApiServer | undefined;
let factory: InformerFactory | undefined;
let directory: string | undefined;

afterEach(async () => {
  await factory?.shutdown();
  proxy?.kill('SIGKILL');
  await server?.close();
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  factory = proxy = server = directory = undefined;
});

/** Starts `kubectl proxy` on a free port and resolves with its URL once it serves. */
function startProxy(kubeconfig: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl ?? 'kubectl', ['proxy', '--kubeconfig', kubeconfig, '--port=0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy = child;
    const timer = setTimeout(() => reject(new Error('kubectl proxy did not start within 20 s')), 20_000);
    child.stdout?.on('data', (data: Buffer) => {
      const match = /Starting to serve on ([\d.]+:\d+)/.exec(String(data));
      if (match === null) return;
      clearTimeout(timer);
      resolve(`http://${match[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`kubectl proxy exited with ${code}`)));
  });
}

describe.skipIf(kubectl === undefined).each<WatchChannel>(['fetch', 'websocket'])(
  'through kubectl proxy, watches over %s',
  (watch) => {
    it('syncs and follows changes, the proxy holding the credentials', async () => {
      server = await FakeApiServer.start({ tls: true, tokens: ['only-the-proxy-knows'] });
      server.store.create('pods', podFixture({ name: 'first' }));
      directory = mkdtempSync(join(tmpdir(), 'kubectl-proxy-'));
      const kubeconfig = join(directory, 'config');
      writeFileSync(kubeconfig, server.kubeconfig());
      const proxyUrl = await startProxy(kubeconfig);

      // Counts the WebSockets that opened, so a silent fallback to fetch cannot pass for a WebSocket watch.
      let webSocketsOpened = 0;
      class CountingWebSocket extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('open', () => {
            webSocketsOpened += 1;
          });
        }
      }
      factory = createInformerFactory(
        browserTransport({ baseUrl: proxyUrl, watch, WebSocket: CountingWebSocket }),
        {
          onError: () => {},
        },
      );
      const informer = factory.informerFor(pods);
      factory.start(new AbortController().signal);
      await factory.waitForCacheSync(AbortSignal.timeout(20_000));
      expect(informer.store.listKeys()).toEqual(['default/first']);

      const added = new Promise<void>((resolve) => {
        informer.addEventHandler({
          onAdd: (pod) => {
            if (pod.metadata?.name === 'second') resolve();
          },
        });
      });
      server.store.create('pods', podFixture({ name: 'second' }));
      await added;
      expect(informer.store.listKeys().sort()).toEqual(['default/first', 'default/second']);
      expect(webSocketsOpened > 0).toBe(watch === 'websocket');
    }, 60_000);
  },
);
