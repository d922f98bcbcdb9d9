import {
  createBackoffPolicy,
  createInformerFactory,
  defineResource,
  type InformerFactory,
  InvalidOptionError,
  type KubeInformersError,
  type KubeObject,
  UnauthorizedError,
} from '@kubeinformers/core';
import { FakeApiServer, podFixture } from '@kubeinformers/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { browserTransport, type WatchChannel } from './index.js';

const pods = defineResource<KubeObject>({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
});

let server: FakeApiServer | undefined;
let factory: InformerFactory | undefined;

afterEach(async () => {
  await factory?.shutdown();
  factory = undefined;
  await server?.close();
  server = undefined;
});

/** Resolves when `predicate` holds after an event of the informer; bounded by `timeoutMs`. */
function eventually(
  subscribe: (check: () => void) => () => void,
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = subscribe(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe());
      resolve();
    });
  });
}

describe.each<WatchChannel>(['fetch', 'websocket'])('browserTransport, watches over %s', (watch) => {
  it('syncs, follows changes, and recovers from dropped watches through core', async () => {
    server = await FakeApiServer.start({ tokens: ['secret'] });
    server.store.create('pods', podFixture({ name: 'first' }));
    const errors: KubeInformersError[] = [];
    factory = createInformerFactory(browserTransport({ baseUrl: server.url, token: 'secret', watch }), {
      onError: (error) => errors.push(error),
    });
    const informer = factory.informerFor(pods);
    const controller = new AbortController();
    factory.start(controller.signal);
    await factory.waitForCacheSync(AbortSignal.timeout(10_000));
    expect(informer.store.listKeys()).toEqual(['default/first']);

    const onEvent = (check: () => void) => {
      const registration = informer.addEventHandler({ onAdd: check, onUpdate: check, onDelete: check });
      return () => registration.remove();
    };
    const added = eventually(onEvent, () => informer.store.getByKey('default/second') !== undefined, 'add');
    server.store.create('pods', podFixture({ name: 'second' }));
    await added;

    // An abrupt drop breaks the body mid-stream; core reconnects from its last resourceVersion.
    expect(server.faults.closeWatches({ abrupt: true })).toBe(1);
    const deleted = eventually(
      onEvent,
      () => informer.store.getByKey('default/first') === undefined,
      'delete',
    );
    server.store.delete('pods', 'default/first');
    await deleted;
    expect(informer.store.listKeys()).toEqual(['default/second']);
    controller.abort();
  });

  it('reports the server status of a refused watch (401) to core, which keeps retrying', async () => {
    server = await FakeApiServer.start({ tokens: ['secret'] });
    let token = 'secret';
    const errors: KubeInformersError[] = [];
    let reportError: (() => void) | undefined;
    factory = createInformerFactory(browserTransport({ baseUrl: server.url, token: () => token, watch }), {
      onError: (error) => {
        errors.push(error);
        reportError?.();
      },
      backoff: createBackoffPolicy({ initialDelayMs: 5, maxDelayMs: 20, jitter: 0 }),
    });
    const informer = factory.informerFor(pods);
    factory.start(new AbortController().signal);
    await factory.waitForCacheSync(AbortSignal.timeout(10_000));
    // The token is revoked: the watch that follows a dropped one is refused.
    server.auth.setTokens(['rotated']);
    const refused = new Promise<void>((resolve) => {
      reportError = () => {
        if (errors.some((error) => error instanceof UnauthorizedError)) resolve();
      };
    });
    server.faults.closeWatches();
    await refused;
    // The token rotates: the next attempt is accepted and changes flow again.
    token = 'rotated';
    const onEvent = (check: () => void) => {
      const registration = informer.addEventHandler({ onAdd: check });
      return () => registration.remove();
    };
    const added = eventually(onEvent, () => informer.store.getByKey('default/late') !== undefined, 'add');
    server.store.create('pods', podFixture({ name: 'late' }));
    await added;
  });
});

describe('browserTransport options', () => {
  it('needs an absolute base URL outside a page', () => {
    expect(() => browserTransport({ baseUrl: '/k8s' })).toThrow(InvalidOptionError);
    expect(() => browserTransport()).toThrow(InvalidOptionError);
  });

  it('refuses an unknown watch channel', () => {
    expect(() => browserTransport({ baseUrl: 'http://127.0.0.1:1', watch: 'sse' as WatchChannel })).toThrow(
      /invalid option watch/,
    );
  });

  it('sends extra headers, lower-cases response headers, and joins a base path', async () => {
    const seen: { url: string; headers: Headers }[] = [];
    const transport = browserTransport({
      baseUrl: 'http://127.0.0.1:8001/k8s/',
      headers: { 'x-tenant': 'blue' },
      token: 'abc',
      fetch: (async (url: string, init: RequestInit) => {
        seen.push({ url, headers: new Headers(init.headers) });
        return new Response('{"kind":"PodList"}', {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }) as typeof fetch,
    });
    const response = await transport.request({
      path: '/api/v1/pods',
      query: { limit: '500', continue: undefined },
      headers: { accept: 'application/json' },
      signal: new AbortController().signal,
    });
    expect(seen[0]?.url).toBe('http://127.0.0.1:8001/k8s/api/v1/pods?limit=500');
    expect(seen[0]?.headers.get('authorization')).toBe('Bearer abc');
    expect(seen[0]?.headers.get('x-tenant')).toBe('blue');
    expect(response.headers['content-type']).toBe('application/json');
    let text = '';
    for await (const chunk of response.body) text += new TextDecoder().decode(chunk);
    expect(text).toBe('{"kind":"PodList"}');
  });
});
