import {
  createBackoffPolicy,
  createInformerFactory,
  type InformerFactory,
  type KubeInformersError,
  type KubeObject,
} from '@kubeinformers/core';
import { configMaps, type KubeConfigTransport, kubeConfigTransport } from '@kubeinformers/k8s-client-adapter';
import { FakeApiServer } from '@kubeinformers/testing';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ObservedTransport } from './observed-transport.js';

let server: FakeApiServer;
let adapter: KubeConfigTransport;
let factory: InformerFactory | undefined;
let controller: AbortController;
let churn: ReturnType<typeof setInterval> | undefined;

beforeEach(async () => {
  // A history of 20 writes: a paginated list's snapshot is compacted away within milliseconds.
  server = await FakeApiServer.start({ tls: true, tokens: ['progress-token'], watchHistorySize: 20 });
  for (let index = 0; index < 300; index += 1) {
    server.store.create('configmaps', {
      metadata: { name: `config-${index}`, namespace: 'default' },
      data: {},
    });
  }
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  adapter = kubeConfigTransport(kubeConfig);
  controller = new AbortController();
});

afterEach(async () => {
  clearInterval(churn);
  controller.abort();
  await factory?.shutdown();
  factory = undefined;
  await adapter.close();
  await server.close();
});

it('a paginated list whose snapshot is always compacted away before its last page still completes', async () => {
  // Steady writes, faster than 60 pages can be read: every continue token expires.
  let step = 0;
  churn = setInterval(() => {
    for (let index = 0; index < 10; index += 1) {
      step += 1;
      server.store.mutate<KubeObject & { data?: Record<string, string> }>(
        'configmaps',
        `default/config-${step % 300}`,
        (draft) => {
          draft.data = { step: String(step) };
        },
      );
    }
  }, 1);
  server.faults.delayResponses({ verb: 'list', delayMs: 3 });
  const transport = new ObservedTransport(adapter);
  const errors: KubeInformersError[] = [];
  factory = createInformerFactory(transport, {
    pageSize: 5,
    backoff: createBackoffPolicy({ initialDelayMs: 1, maxDelayMs: 20 }),
    onError: (error) => errors.push(error),
  });
  const informer = factory.informerFor(configMaps);
  factory.start(controller.signal);

  await vi.waitFor(() => expect(informer.hasSynced()).toBe(true), { timeout: 10_000, interval: 5 });
  expect(informer.store.listKeys()).toHaveLength(300);
  // It got there by giving up pagination for the expired list, not by luck between writes.
  expect(transport.counts.lists).toBeGreaterThan(1);
});
