import {
  ApiError,
  createBackoffPolicy,
  createInformerFactory,
  HandlerError,
  IndexFunctionError,
  type InformerFactory,
  type KubeInformersError,
  type KubeObject,
  MalformedWatchEventError,
  SelectorError,
  type SharedInformer,
  TransportError,
  UnexpectedResponseError,
  WatchLineTooLongError,
} from '@kubeinformers/core';
import { type KubeConfigTransport, kubeConfigTransport, pods } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScriptedApiServer, testPod } from './scripted-api-server.js';

const bounded = { timeout: 10_000, interval: 5 };
// Retries within milliseconds: these tests are about what is stored and reported, not about timing.
const fastBackoff = createBackoffPolicy({ initialDelayMs: 1, maxDelayMs: 5 });

const listed = testPod('listed', '10', { tier: 'frontend' });
const arrived = testPod('arrived', '11', { tier: 'backend' });

let server: ScriptedApiServer;
let transport: KubeConfigTransport | undefined;
let factory: InformerFactory | undefined;
let controller: AbortController;
let errors: KubeInformersError[];

beforeEach(async () => {
  server = await ScriptedApiServer.start();
  server.listItems = [listed];
  server.healthyEvents = [{ type: 'ADDED', object: arrived }];
  controller = new AbortController();
  errors = [];
});

afterEach(async () => {
  controller.abort();
  await factory?.shutdown();
  await transport?.close();
  factory = undefined;
  transport = undefined;
  await server.close();
});

function createFactory(): InformerFactory {
  transport = kubeConfigTransport(server.kubeConfig());
  factory = createInformerFactory(transport, {
    backoff: fastBackoff,
    onError: (error) => errors.push(error),
  });
  return factory;
}

function startPodInformer(): SharedInformer<KubeObject> {
  const informer = createFactory().informerFor(pods) as unknown as SharedInformer<KubeObject>;
  factory?.start(controller.signal);
  return informer;
}

/**
 * The informer reported `errorClass` through the error hook, kept running (a later watch delivered
 * `arrived`), and holds exactly what the server sent that was valid.
 */
async function expectSurvived(
  informer: SharedInformer<KubeObject>,
  errorClass: (abstract new (...args: never[]) => KubeInformersError) | undefined,
) {
  await vi.waitFor(() => expect(informer.store.getByKey('default/arrived')).toBeDefined(), bounded);
  if (errorClass === undefined) expect(errors).toEqual([]);
  else expect(errors.find((error) => error instanceof errorClass)).toBeDefined();
  expect(informer.isRunning).toBe(true);
  expect(informer.store.listKeys().sort()).toEqual(['default/arrived', 'default/listed']);
  expect(informer.store.getByKey('default/listed')).toEqual(listed);
}

/** The first watch answers with `lines` and ends. */
function firstWatchSends(...lines: string[]): void {
  server.watchScripts.push((response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(lines.map((line) => `${line}\n`).join(''));
  });
}

describe('bad input from the server: typed error, informer running, store unchanged', () => {
  it('a malformed JSON line', async () => {
    firstWatchSends('{"type":"MODIFIED","object":{"metadata":{"name":"listed"');
    const informer = startPodInformer();
    await expectSurvived(informer, MalformedWatchEventError);
  });

  it('a line above the maximum size', async () => {
    server.watchScripts.push((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const megabyte = Buffer.alloc(1 << 20, 0x78);
      // 17 MiB without a newline, written as fast as the client reads, until it gives up.
      let written = 0;
      const pump = (): void => {
        while (written < 17 && !response.destroyed) {
          written += 1;
          if (!response.write(megabyte)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      response.on('error', () => undefined);
      pump();
    });
    const informer = startPodInformer();
    await expectSurvived(informer, WatchLineTooLongError);
  });

  it('an HTML error page from a proxy with status 502', async () => {
    server.watchScripts.push((response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    });
    const informer = startPodInformer();
    await expectSurvived(informer, UnexpectedResponseError);
    const error = errors.find((found) => found instanceof UnexpectedResponseError);
    expect(error?.statusCode).toBe(502);
    expect(error?.excerpt).toContain('502 Bad Gateway');
  });

  it('a truncated chunked response', async () => {
    server.watchScripts.push((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"type":"MODIFIED","object":{"metadata":{"name":"lis');
      // The connection dies in the middle of a chunk: no terminating chunk ever arrives.
      setImmediate(() => response.socket?.destroy());
    });
    const informer = startPodInformer();
    await expectSurvived(informer, TransportError);
  });

  it('an event of an unknown type', async () => {
    const renamed = testPod('listed', '12', { tier: 'renamed' });
    firstWatchSends(JSON.stringify({ type: 'RENAMED', object: renamed }));
    const informer = startPodInformer();
    await expectSurvived(informer, MalformedWatchEventError);
  });

  it('a Status with an unexpected code', async () => {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 418,
      reason: 'Teapot',
      message: 'short and stout',
    };
    firstWatchSends(JSON.stringify({ type: 'ERROR', object: status }));
    const informer = startPodInformer();
    await expectSurvived(informer, ApiError);
    expect(errors.find((error) => error instanceof ApiError)?.statusCode).toBe(418);
  });

  it('an object without metadata.name', async () => {
    const nameless = testPod('', '12');
    firstWatchSends(JSON.stringify({ type: 'ADDED', object: nameless }));
    const informer = startPodInformer();
    await expectSurvived(informer, MalformedWatchEventError);
  });
});

describe('bad input from the program', () => {
  it('invalid label and field selectors are refused with a typed error when the informer is created', async () => {
    const informer = startPodInformer();
    expect(() => factory?.informerFor(pods, { labelSelector: 'tier in (frontend' })).toThrow(SelectorError);
    expect(() => factory?.informerFor(pods, { fieldSelector: 'metadata.name' })).toThrow(SelectorError);
    // Nothing else was disturbed: the running informer goes on.
    await expectSurvived(informer, undefined);
  });

  it('a selector the server rejects (400) is reported as a typed error and retried', async () => {
    const fake = await FakeApiServer.start({ tls: true, tokens: ['selector-token'] });
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(fake.kubeconfig());
      transport = kubeConfigTransport(kubeConfig);
      factory = createInformerFactory(transport, {
        backoff: fastBackoff,
        onError: (error) => errors.push(error),
      });
      // Valid syntax, but a field the server cannot select on.
      const informer = factory.informerFor(pods, { fieldSelector: 'spec.color=red' });
      factory.start(controller.signal);
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(1), bounded);
      expect(errors.every((error) => error instanceof ApiError && error.statusCode === 400)).toBe(true);
      expect(informer.isRunning).toBe(true);
      expect(informer.store.listKeys()).toEqual([]);
    } finally {
      controller.abort();
      await factory?.shutdown();
      await fake.close();
    }
  });

  it('a throwing index function: reported, the object stored without that index value', async () => {
    const informer = createFactory().informerFor(pods, {
      indexers: {
        byTier: (pod) => {
          if (pod.metadata?.name === 'arrived') throw new Error('index function failed');
          return [pod.metadata?.labels?.tier ?? ''];
        },
      },
    });
    factory?.start(controller.signal);
    await expectSurvived(informer as unknown as SharedInformer<KubeObject>, IndexFunctionError);
    expect(informer.store.byIndex('byTier', 'frontend').map((pod) => pod.metadata?.name)).toEqual(['listed']);
    expect(informer.store.byIndex('byTier', 'backend')).toEqual([]);
  });

  it('a throwing handler: reported, other handlers and later events still delivered', async () => {
    const informer = createFactory().informerFor(pods) as unknown as SharedInformer<KubeObject>;
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler failed');
      },
    });
    const added: string[] = [];
    informer.addEventHandler({ onAdd: (pod) => void added.push(pod.metadata?.name ?? '') });
    factory?.start(controller.signal);
    await expectSurvived(informer, HandlerError);
    await vi.waitFor(() => expect(added).toEqual(['listed', 'arrived']), bounded);
    expect(errors.filter((error) => error instanceof HandlerError)).toHaveLength(2);
  });

  it('a handler whose promise rejects: reported like a throw, later events still delivered', async () => {
    const informer = createFactory().informerFor(pods) as unknown as SharedInformer<KubeObject>;
    informer.addEventHandler({ onAdd: async () => Promise.reject(new Error('async handler failed')) });
    factory?.start(controller.signal);
    await expectSurvived(informer, HandlerError);
    await vi.waitFor(
      () => expect(errors.filter((error) => error instanceof HandlerError)).toHaveLength(2),
      bounded,
    );
    expect(errors.every((error) => error.cause instanceof Error)).toBe(true);
  });
});
