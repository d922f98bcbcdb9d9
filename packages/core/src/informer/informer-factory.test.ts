import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IndexConflictError } from '../errors/index-conflict-error.js';
import { InformerStoppedError } from '../errors/informer-stopped-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { KubeInformersError } from '../errors/kube-informers-error.js';
import { SelectorError } from '../errors/selector-error.js';
import type { Transport } from '../protocol/transport.js';
import { parseLabelSelector } from '../selectors/label-selector.js';
import type { DeepReadonly } from '../store/deep-readonly.js';
import type { StorageMode } from '../store/store-writer.js';
import { InMemoryApi } from '../test-support/in-memory-api.js';
import { settle } from '../test-support/settle.js';
import { storageModes } from '../test-support/storage-modes.js';
import type { TestPod } from '../test-support/test-resources.js';
import { testNodes, testPods, testServices } from '../test-support/test-resources.js';
import { ManualClock } from '../time/manual-clock.js';
import { createInformerFactory as createFactory } from './informer-factory.js';
import type { InformerFactoryDefaults } from './informer-options.js';
import { stripManagedFields } from './strip-managed-fields.js';

const byNode = (pod: DeepReadonly<TestPod>) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []);
const byPhase = (pod: DeepReadonly<TestPod>) => (pod.status?.phase ? [pod.status.phase] : []);

/** A transport whose requests never answer: informers over it never sync. */
const silent: Transport = {
  request: ({ signal }) =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
};

const controllers: AbortController[] = [];
function signal(): AbortSignal {
  const controller = new AbortController();
  controllers.push(controller);
  return controller.signal;
}
afterEach(() => {
  for (const controller of controllers.splice(0)) controller.abort();
});

const bounded = () => AbortSignal.timeout(5000);
const listRequests = (api: InMemoryApi, path: string) =>
  api.requests.filter((request) => request.path === path && request.query?.watch === undefined).length;

/** The store of the suite being run: every test runs with both. */
let storage: StorageMode = 'objects';
const createInformerFactory: typeof createFactory = (transport, defaults?: InformerFactoryDefaults) =>
  createFactory(transport, { storage, ...defaults });

describe.each(storageModes)('storing %s', (mode) => {
  beforeEach(() => {
    storage = mode;
  });

  describe('createInformerFactory', () => {
    it('shares one informer per resource and list options', () => {
      const factory = createInformerFactory(new InMemoryApi());
      const pods = factory.informerFor(testPods);
      expect(factory.informerFor(testPods)).toBe(pods);
      expect(factory.informerFor(testPods, { labelSelector: 'app=web' })).toBe(
        factory.informerFor(testPods, { labelSelector: parseLabelSelector(' app=web ') }),
      );
      expect(factory.informerFor(testPods, { labelSelector: '' })).toBe(pods);
      expect(factory.informerFor(testPods, { namespace: 'shop' })).not.toBe(pods);
      expect(factory.informerFor(testPods, { fieldSelector: 'spec.nodeName=node-1' })).not.toBe(pods);
      expect(factory.informerFor(testPods, { metadataOnly: true })).not.toBe(pods);
      expect(factory.informerFor(testServices)).not.toBe(pods);
      // Cluster-scoped resources have no namespace to tell informers apart.
      expect(factory.informerFor(testNodes, { namespace: 'ignored' })).toBe(factory.informerFor(testNodes));
    });

    it('adds indexers given for an existing informer, and refuses conflicting indexers and transforms', () => {
      const factory = createInformerFactory(new InMemoryApi(), { transform: stripManagedFields });
      const first = factory.informerFor(testPods, { indexers: { byNode } });
      const second = factory.informerFor(testPods, { indexers: { byPhase } });
      expect(second).toBe(first);
      expect(first.store.indexNames).toEqual(['namespace', 'byNode', 'byPhase']);
      expect(() => factory.informerFor(testPods, { indexers: { byNode: byPhase } })).toThrow(
        IndexConflictError,
      );
      expect(() => factory.informerFor(testPods, { transform: (pod) => pod })).toThrow(InvalidOptionError);
      expect(factory.informerFor(testPods, { transform: stripManagedFields })).toBe(first);
      expect(() => factory.informerFor(testPods, { pruneManagedFields: true })).toThrow(InvalidOptionError);
    });

    it('prunes managedFields before the parse when asked, for the list and the watch alike', async () => {
      const api = new InMemoryApi();
      const withFields = (name: string): TestPod => ({
        metadata: { name, annotations: { managedFields: 'kept' }, managedFields: [{ manager: 'kubectl' }] },
      });
      api.create(testPods, withFields('listed'));
      const factory = createInformerFactory(api, { pruneManagedFields: true });
      const informer = factory.informerFor(testPods);
      expect(factory.informerFor(testPods, { pruneManagedFields: true })).toBe(informer);
      factory.start(signal());
      await factory.waitForCacheSync(bounded());
      api.create(testPods, withFields('watched'));
      await vi.waitFor(() => expect(informer.store.getByKey('default/watched')).toBeDefined(), {
        timeout: 5000,
        interval: 1,
      });
      for (const key of ['default/listed', 'default/watched']) {
        const metadata = informer.store.getByKey(key)?.metadata;
        expect(metadata).not.toHaveProperty('managedFields');
        expect(metadata?.annotations).toEqual({ managedFields: 'kept' });
      }
    });

    it('refuses a bookmarkPeriodMs that is not a period when the factory is created', () => {
      for (const bookmarkPeriodMs of [0, -60_000, Number.NaN, Number.POSITIVE_INFINITY])
        expect(() => createInformerFactory(silent, { bookmarkPeriodMs })).toThrow(InvalidOptionError);
      expect(() => createInformerFactory(silent, { bookmarkPeriodMs: 10_000 })).not.toThrow();
    });

    it('rejects an invalid selector when the informer is created, before anything runs', () => {
      const api = new InMemoryApi();
      const factory = createInformerFactory(api);
      expect(() => factory.informerFor(testPods, { labelSelector: 'app in (web' })).toThrow(SelectorError);
      expect(() => factory.informerFor(testPods, { fieldSelector: 'spec.nodeName' })).toThrow(SelectorError);
      factory.start(signal());
      expect(api.requests).toEqual([]);
    });

    it('starts what is not running, again after new informers are added, and waits for their sync', async () => {
      const api = new InMemoryApi();
      api.create(testPods, { metadata: { name: 'a' } });
      api.create(testServices, { metadata: { name: 'web' } });
      const factory = createInformerFactory(api, { namespace: 'default' });
      const pods = factory.informerFor(testPods);
      const running = signal();
      factory.start(running);
      await factory.waitForCacheSync(bounded());
      expect(pods.store.listKeys()).toEqual(['default/a']);

      const services = factory.informerFor(testServices);
      factory.start(running);
      await factory.waitForCacheSync(bounded());
      expect(services.store.listKeys()).toEqual(['default/web']);
      expect(listRequests(api, '/api/v1/namespaces/default/pods')).toBe(1);
      expect(listRequests(api, '/api/v1/namespaces/default/services')).toBe(1);
      await factory.shutdown();
    });

    it('rejects a wait with the signal reason, or with InformerStoppedError when the informers stop unsynced', async () => {
      const factory = createInformerFactory(silent);
      factory.informerFor(testPods);
      factory.start(signal());
      const waiting = new AbortController();
      const wait = factory.waitForCacheSync(waiting.signal);
      waiting.abort(new Error('deadline'));
      await expect(wait).rejects.toThrow('deadline');
      const stopped = factory.waitForCacheSync();
      await factory.shutdown();
      await expect(stopped).rejects.toBeInstanceOf(InformerStoppedError);
    });

    it('stops every loop on shutdown, leaving no timer or connection, idempotently; start then does nothing', async () => {
      const clock = new ManualClock();
      const api = new InMemoryApi(clock);
      const factory = createInformerFactory(api, { clock, resyncPeriodMs: 60_000 });
      const pods = factory.informerFor(testPods);
      pods.addEventHandler({});
      factory.informerFor(testServices);
      factory.start(signal());
      await factory.waitForCacheSync(bounded());
      expect(api.openWatches).toBe(2);
      expect(clock.pendingTimers).toBeGreaterThan(0);
      const first = factory.shutdown();
      expect(factory.shutdown()).toBe(first);
      await first;
      expect(api.openWatches).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      expect(api.requests.every((request) => request.signal.aborted)).toBe(true);
      expect(pods.isRunning).toBe(false);
      const requests = api.requests.length;
      factory.start(signal());
      expect(api.requests.length).toBe(requests);
    });

    it('stops every loop when the start signal aborts, and restarts them on a later start', async () => {
      const clock = new ManualClock();
      const api = new InMemoryApi(clock);
      const factory = createInformerFactory(api, { clock });
      const pods = factory.informerFor(testPods);
      const controller = new AbortController();
      factory.start(controller.signal);
      await factory.waitForCacheSync(bounded());
      controller.abort();
      await expect.poll(() => pods.isRunning, { timeout: 2000, interval: 1 }).toBe(false);
      expect(api.openWatches).toBe(0);
      expect(clock.pendingTimers).toBe(0);
      api.create(testPods, { metadata: { name: 'later' } });
      factory.start(signal());
      await expect.poll(() => pods.store.size, { timeout: 2000, interval: 1 }).toBe(1);
      await factory.shutdown();
    });

    it('holds only metadata for a metadata-only informer', async () => {
      const api = new InMemoryApi();
      api.create(testPods, { metadata: { name: 'a', labels: { app: 'web' } }, spec: { nodeName: 'node-1' } });
      const factory = createInformerFactory(api);
      const metadata = factory.informerFor(testPods, { metadataOnly: true });
      factory.start(signal());
      await factory.waitForCacheSync(bounded());
      expect(metadata.store.get('default', 'a')).toEqual({
        apiVersion: 'meta.k8s.io/v1',
        kind: 'PartialObjectMetadata',
        metadata: expect.objectContaining({ name: 'a', labels: { app: 'web' } }),
      });
      await factory.shutdown();
    });

    it('syncs by streaming list when asked, then follows the watch', async () => {
      const api = new InMemoryApi();
      api.create(testPods, { metadata: { name: 'a' } });
      const factory = createInformerFactory(api, { streamingInitialList: true });
      const pods = factory.informerFor(testPods);
      factory.start(signal());
      await factory.waitForCacheSync(bounded());
      expect(pods.store.listKeys()).toEqual(['default/a']);
      expect(api.requests.every((request) => request.query?.watch !== undefined)).toBe(true);
      api.create(testPods, { metadata: { name: 'b' } });
      await expect.poll(() => pods.store.size, { timeout: 2000, interval: 1 }).toBe(2);
      await factory.shutdown();
    });

    it('aggregates the health of its informers: ready once every started one synced, and not after shutdown', async () => {
      const clock = new ManualClock(5_000);
      const api = new InMemoryApi(clock);
      api.create(testPods, { metadata: { name: 'a' } });
      const factory = createInformerFactory(api, { clock });
      const pods = factory.informerFor(testPods, { namespace: 'shop', labelSelector: 'app=web' });
      const nodes = factory.informerFor(testNodes, { metadataOnly: true });
      expect(factory.health()).toEqual({
        ready: false,
        informers: {
          'pods in shop (app=web)': pods.health(),
          'nodes metadata': nodes.health(),
        },
      });
      expect(pods.health()).toMatchObject({ phase: 'stopped', synced: false, consecutiveFailures: 0 });
      const changes: string[] = [];
      const unsubscribe = pods.onHealthChange(() => changes.push(pods.health().phase));
      factory.start(signal());
      await factory.waitForCacheSync(bounded());
      expect(factory.health().ready).toBe(true);
      expect(factory.health().informers['pods in shop (app=web)']).toMatchObject({
        phase: 'watching',
        synced: true,
        lastActivityAt: 5_000,
      });
      expect(changes).toEqual(['listing', 'listing', 'watching']);
      unsubscribe();
      await factory.shutdown();
      expect(factory.health().ready).toBe(false);
      expect(pods.health()).toMatchObject({ phase: 'stopped', synced: true });
      expect(changes).toHaveLength(3);
    });

    it("reports what the loop survives to the factory's onError and recovers", async () => {
      const clock = new ManualClock();
      const api = new InMemoryApi(clock);
      api.create(testPods, { metadata: { name: 'a' } });
      let failures = 1;
      const flaky: Transport = {
        request: (request) => {
          if (failures-- <= 0) return api.request(request);
          const body = JSON.stringify({
            kind: 'Status',
            status: 'Failure',
            reason: 'InternalError',
            code: 500,
          });
          return Promise.resolve({
            status: 500,
            headers: { 'content-type': 'application/json' },
            body: (async function* () {
              yield new TextEncoder().encode(body);
            })(),
          });
        },
      };
      const errors: KubeInformersError[] = [];
      const factory = createInformerFactory(flaky, { clock, onError: (error) => errors.push(error) });
      const pods = factory.informerFor(testPods);
      factory.start(signal());
      await settle(() => pods.hasSynced(), { clock, stepMs: 500 });
      expect(errors.map((error) => error.code)).toEqual(['KI_API_SERVER_ERROR']);
      expect(pods.store.listKeys()).toEqual(['default/a']);
      await factory.shutdown();
      expect(clock.pendingTimers).toBe(0);
    });
  });
});
