import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KubeConfigError } from './kube-config-error.js';
import { type KubeConfigTransport, kubeConfigTransport } from './kube-config-transport.js';
import { createExecPlugin } from './test-support/exec-plugin.js';
import {
  kubeConfigFor,
  type LoopbackServer,
  startLoopbackServer,
  text,
} from './test-support/loopback-server.js';

const bounded = { timeout: 5_000, interval: 5 };

let server: LoopbackServer;
let transport: KubeConfigTransport | undefined;
let controller: AbortController;

beforeEach(async () => {
  server = await startLoopbackServer();
  controller = new AbortController();
});

afterEach(async () => {
  controller.abort();
  await transport?.close();
  transport = undefined;
  await server.close();
});

function connect(kubeConfig = kubeConfigFor(server.url), compression = true): KubeConfigTransport {
  transport = kubeConfigTransport(kubeConfig, { compression });
  return transport;
}

describe('kubeConfigTransport', () => {
  it('resolves at the headers, with lower-case names, and streams the body as it arrives', async () => {
    let finish = (): void => {};
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'X-Audit-ID': 'abc' });
      response.write('{"type":"ADDED"}\n');
      finish = () => response.end('{"type":"DELETED"}\n');
    });
    const response = await connect().request({ path: '/api/v1/pods', signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-audit-id']).toBe('abc');
    const iterator = response.body[Symbol.asyncIterator]();
    // The first line arrives while the server still holds the response open: nothing is buffered.
    const first = await iterator.next();
    expect(new TextDecoder().decode(first.value)).toBe('{"type":"ADDED"}\n');
    finish();
    const rest = await text({ [Symbol.asyncIterator]: () => iterator });
    expect(rest).toBe('{"type":"DELETED"}\n');
  });

  it('sends the path below the server prefix, the query, core headers and the bearer token', async () => {
    const response = await connect(kubeConfigFor(`${server.url}/clusters/one/`)).request({
      path: '/api/v1/namespaces/default/pods',
      query: { watch: 'true', labelSelector: 'app=web', continue: undefined },
      headers: { Accept: 'application/json' },
      signal: controller.signal,
    });
    await text(response.body);
    const [request] = server.requests;
    expect(request?.url).toBe(
      '/clusters/one/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb',
    );
    expect(request?.headers.authorization).toBe('Bearer test-token');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('kubeinformers');
  });

  it('applies basic auth and impersonation from the kubeconfig user', async () => {
    const kubeConfig = kubeConfigFor(server.url, {
      username: 'alice',
      password: 'secret',
      impersonateUser: 'bob',
    });
    await text((await connect(kubeConfig).request({ path: '/api', signal: controller.signal })).body);
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('alice:secret').toString('base64')}`,
    );
    expect(server.requests[0]?.headers['impersonate-user']).toBe('bob');
  });

  it('resolves error statuses normally so core can decode the Status body', async () => {
    server.handle((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end('{"kind":"Status","code":403,"reason":"Forbidden"}');
    });
    const response = await connect().request({ path: '/api/v1/secrets', signal: controller.signal });
    expect(response.status).toBe(403);
    expect(JSON.parse(await text(response.body))).toMatchObject({ code: 403, reason: 'Forbidden' });
  });

  it('rejects on network errors without revealing the credentials', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const kubeConfig = kubeConfigFor(closed.url, { token: 'very-secret-token' });
    const failure = await connect(kubeConfig)
      .request({ path: '/api/v1/pods', signal: controller.signal })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    const error = failure as Error & { code?: string };
    expect(error.code).toBe('ECONNREFUSED');
    const exposed = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error.cause)}`;
    expect(exposed).not.toContain('very-secret-token');
  });

  it('aborting before the headers rejects the request and closes the socket', async () => {
    server.handle(() => {}); // never answers
    const pending = connect().request({ path: '/api/v1/pods', signal: controller.signal });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), bounded);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), bounded);
  });

  it('aborting while the body streams rejects the iteration and closes the socket', async () => {
    server.handle((_request, response) => {
      response.writeHead(200);
      response.write('{"type":"ADDED"}\n');
    });
    const response = await connect().request({ path: '/api/v1/pods', signal: controller.signal });
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toThrow();
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), bounded);
  });

  it('ending the iteration early releases the connection', async () => {
    server.handle((_request, response) => {
      response.writeHead(200);
      response.write('{"type":"ADDED"}\n');
    });
    const response = await connect().request({ path: '/api/v1/pods', signal: controller.signal });
    for await (const _chunk of response.body) break;
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), bounded);
  });

  it('reuses one connection for consecutive lists and the watch that follows them', async () => {
    server.handle((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      if (request.url?.includes('watch=true')) response.write('{"type":"BOOKMARK"}\n');
      else response.end('{"kind":"PodList","items":[]}');
    });
    const client = connect();
    for (let page = 0; page < 5; page += 1) {
      await text((await client.request({ path: '/api/v1/pods', signal: controller.signal })).body);
    }
    const watch = await client.request({
      path: '/api/v1/pods',
      query: { watch: 'true' },
      signal: controller.signal,
    });
    await watch.body[Symbol.asyncIterator]().next();
    expect(server.requests).toHaveLength(6);
    expect(server.acceptedConnections()).toBe(1);
  });

  it('re-applies credentials on every request, so an expired exec credential is refreshed', async () => {
    const plugin = await createExecPlugin();
    try {
      const client = connect(kubeConfigFor(server.url, plugin.user));
      const expired = new Date(Date.now() - 1000);
      for (const token of ['first', 'second']) {
        // An expired credential is not cached by the official client: the plugin runs again.
        await plugin.setCredential(token, expired);
        await text((await client.request({ path: '/api/v1/pods', signal: controller.signal })).body);
      }
      expect(server.requests.map((request) => request.headers.authorization)).toEqual([
        'Bearer first',
        'Bearer second',
      ]);
      expect(await plugin.runs()).toBe(2);
      // A new token alone changes no TLS material: the connection is kept.
      expect(server.acceptedConnections()).toBe(1);
    } finally {
      await plugin.dispose();
    }
  });

  it('aborting while an exec plugin waits rejects at once', async () => {
    const plugin = await createExecPlugin();
    try {
      await plugin.setCredential('late');
      await plugin.hold();
      const pending = connect(kubeConfigFor(server.url, plugin.user)).request({
        path: '/api/v1/pods',
        signal: controller.signal,
      });
      await vi.waitFor(async () => expect(await plugin.runs()).toBe(1), bounded);
      controller.abort();
      await expect(pending).rejects.toThrow(/abort/i);
      expect(server.requests).toHaveLength(0);
    } finally {
      await plugin.release();
      await plugin.dispose();
    }
  });

  it('moves to a new connection pool when the TLS material changes, closing the old one', async () => {
    server.handle((_request, response) => response.end('{}'));
    const kubeConfig = kubeConfigFor(server.url, { certData: 'Zmlyc3Q=', keyData: 'a2V5' });
    const client = connect(kubeConfig);
    await text((await client.request({ path: '/api', signal: controller.signal })).body);
    // A rotated client certificate (plain HTTP here, so it is carried but not used on the wire).
    kubeConfig.loadFromOptions({
      clusters: kubeConfig.getClusters(),
      contexts: kubeConfig.getContexts(),
      users: [{ name: 'tester', certData: 'c2Vjb25k', keyData: 'a2V5' }],
      currentContext: kubeConfig.getCurrentContext(),
    });
    await text((await client.request({ path: '/api', signal: controller.signal })).body);
    expect(server.acceptedConnections()).toBe(2);
    await vi.waitFor(() => expect(server.openConnections()).toBe(1), bounded);
  });

  it('close() ends idle connections and later requests reject', async () => {
    const client = connect();
    await text((await client.request({ path: '/api', signal: controller.signal })).body);
    expect(server.openConnections()).toBe(1);
    await client.close();
    await client.close(); // idempotent
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), bounded);
    await expect(client.request({ path: '/api', signal: controller.signal })).rejects.toMatchObject({
      code: 'UND_ERR_CLOSED',
    });
  });

  it('closes when its signal aborts, idle keep-alive connections included', async () => {
    const lifetime = new AbortController();
    transport = kubeConfigTransport(kubeConfigFor(server.url), { signal: lifetime.signal });
    await text((await transport.request({ path: '/api', signal: controller.signal })).body);
    expect(server.openConnections()).toBe(1);
    lifetime.abort();
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), bounded);
    await expect(transport.request({ path: '/api', signal: controller.signal })).rejects.toMatchObject({
      code: 'UND_ERR_CLOSED',
    });
  });

  it('a request whose credentials were still being applied when the transport closed opens nothing', async () => {
    const plugin = await createExecPlugin();
    try {
      await plugin.setCredential('slow');
      await plugin.hold();
      const client = connect(kubeConfigFor(server.url, plugin.user));
      const pending = client.request({ path: '/api', signal: controller.signal });
      await vi.waitFor(async () => expect(await plugin.runs()).toBe(1), bounded);
      await client.close();
      await plugin.release();
      await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_CLOSED' });
      expect(server.acceptedConnections()).toBe(0);
    } finally {
      await plugin.release();
      await plugin.dispose();
    }
  });

  it('asks for gzip unless disabled, and decompresses while streaming', async () => {
    const list = JSON.stringify({ kind: 'PodList', items: Array.from({ length: 200 }, (_, i) => ({ i })) });
    server.handle((request, response) => {
      if (request.headers['accept-encoding']?.includes('gzip')) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(gzipSync(list));
      } else {
        response.end(list);
      }
    });
    const compressed = await connect().request({ path: '/api/v1/pods', signal: controller.signal });
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip');
    expect(compressed.headers['content-encoding']).toBeUndefined();
    expect(await text(compressed.body)).toBe(list);
    await transport?.close();

    const plain = await connect(undefined, false).request({
      path: '/api/v1/pods',
      signal: controller.signal,
    });
    expect(server.requests[1]?.headers['accept-encoding']).toBeUndefined();
    expect(await text(plain.body)).toBe(list);
  });

  it('ending a decompressed iteration early releases the connection too', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.write(gzipSync('{"type":"ADDED"}\n')); // and never ends
    });
    const response = await connect().request({ path: '/api/v1/pods', signal: controller.signal });
    for await (const chunk of response.body) {
      expect(new TextDecoder().decode(chunk)).toBe('{"type":"ADDED"}\n');
      break;
    }
    await vi.waitFor(() => expect(server.openConnections()).toBe(0), bounded);
  });

  it('a truncated gzip body fails the iteration', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end(gzipSync('{"kind":"PodList","items":[]}').subarray(0, 12));
    });
    const response = await connect().request({ path: '/api/v1/pods', signal: controller.signal });
    await expect(text(response.body)).rejects.toThrow();
  });

  it('refuses a KubeConfig without a current cluster with a typed error', () => {
    expect(() => kubeConfigTransport(new KubeConfig())).toThrow(KubeConfigError);
    expect(() => kubeConfigTransport(new KubeConfig())).toThrow(
      expect.objectContaining({ code: 'KI_INVALID_KUBECONFIG' }),
    );
  });

  it('says which link from the current context to a cluster is missing', () => {
    const empty = new KubeConfig();
    empty.loadFromString('a-hostname\n'); // what `--kubeconfig /etc/hostname` loads: valid YAML, no kubeconfig
    expect(() => kubeConfigTransport(empty)).toThrow(
      'the KubeConfig has no current context (it defines 0 contexts and 0 clusters): is it a kubeconfig?',
    );

    const dangling = new KubeConfig();
    dangling.loadFromOptions({
      clusters: [],
      users: [{ name: 'someone' }],
      contexts: [{ name: 'work', cluster: 'gone', user: 'someone' }],
      currentContext: 'work',
    });
    expect(() => kubeConfigTransport(dangling)).toThrow(
      'the KubeConfig\'s current context "work" names cluster "gone", which is not defined in it',
    );

    const unknownContext = new KubeConfig();
    unknownContext.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: 'missing' });
    expect(() => kubeConfigTransport(unknownContext)).toThrow(
      'the KubeConfig\'s current context "missing" is not defined in it',
    );
  });
});
