import {
  createController,
  createInformerFactory,
  finalizer,
  LeadershipLostError,
  WriteConflictError,
} from '@kubeinformers/core';
import { FakeApiServer } from '@kubeinformers/testing';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configMaps } from './built-in-resources.js';
import { createFinalizerClient } from './finalizer-client.js';
import { kubeConfigTransport } from './kube-config-transport.js';
import { scriptedGuard } from './test-support/scripted-guard.js';

let server: FakeApiServer | undefined;
const stop = new AbortController();
afterEach(async () => {
  stop.abort();
  await server?.close();
  server = undefined;
});

async function kubeConfig(): Promise<KubeConfig> {
  server = await FakeApiServer.start({});
  const config = new KubeConfig();
  config.loadFromString(server.kubeconfig());
  return config;
}

const ours = 'example.com/cleanup';
const theirs = 'other.example.com/keep';

describe('createFinalizerClient with finalizer() against the fake API server', () => {
  it('adds ours before acting, cleans up on delete (failing twice), keeps theirs, then lets the delete finish', async () => {
    const config = await kubeConfig();
    const core = config.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'settings', finalizers: [theirs] }, data: { a: '1' } },
    });
    const factory = createInformerFactory(kubeConfigTransport(config, { signal: stop.signal }), {
      onError: () => {},
    });
    const informer = factory.informerFor(configMaps);
    const client = createFinalizerClient(config, configMaps);
    const log: string[] = [];
    let cleanupAttempts = 0;
    const controller = createController({
      primary: informer,
      onError: () => {},
      reconcile: async (key) => {
        const object = informer.store.getByKey(key);
        if (object === undefined) return;
        await finalizer(client, ours, object, {
          apply: (live) => {
            log.push(`apply rv ${live.metadata?.resourceVersion}`);
          },
          cleanup: () => {
            cleanupAttempts += 1;
            log.push(`cleanup ${cleanupAttempts}`);
            if (cleanupAttempts <= 2) throw new Error('external system down');
          },
        });
      },
    });
    factory.start(stop.signal);
    const running = controller.run(stop.signal);
    const read = () => core.readNamespacedConfigMap({ namespace: 'default', name: 'settings' });
    await vi.waitFor(async () => expect((await read()).metadata?.finalizers).toEqual([theirs, ours]), {
      timeout: 10_000,
      interval: 20,
    });
    await vi.waitFor(() => expect(log[0]).toMatch(/^apply/), { timeout: 10_000, interval: 20 });

    await core.deleteNamespacedConfigMap({ namespace: 'default', name: 'settings' });
    await vi.waitFor(async () => expect((await read()).metadata?.finalizers).toEqual([theirs]), {
      timeout: 10_000,
      interval: 20,
    });
    expect(cleanupAttempts).toBe(3);
    expect(log.filter((entry) => entry.startsWith('cleanup'))).toEqual([
      'cleanup 1',
      'cleanup 2',
      'cleanup 3',
    ]);
    expect((await read()).metadata?.deletionTimestamp).toBeDefined();
    // The other controller finishes its part: the server completes the delete.
    await client.setFinalizers(await read(), []);
    await expect(read()).rejects.toMatchObject({ code: 404 });
    stop.abort();
    await running;
  });

  it('turns a stale resourceVersion into WriteConflictError and a vanished object into undefined', async () => {
    const config = await kubeConfig();
    const core = config.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'stale' } },
    });
    const client = createFinalizerClient(config, configMaps);
    await core.replaceNamespacedConfigMap({
      namespace: 'default',
      name: 'stale',
      body: {
        metadata: { name: 'stale', resourceVersion: created.metadata?.resourceVersion },
        data: { b: '2' },
      },
    });
    await expect(client.setFinalizers(created, [ours])).rejects.toBeInstanceOf(WriteConflictError);
    const fresh = await client.get(created);
    await client.setFinalizers(fresh ?? {}, [ours]);
    expect((await client.get(created))?.metadata?.finalizers).toEqual([ours]);
    // `fresh` is stale again now: our own write moved the object on.
    await expect(client.setFinalizers(fresh ?? {}, [])).rejects.toBeInstanceOf(WriteConflictError);
    expect(await client.get({ metadata: { name: 'missing', namespace: 'default' } })).toBeUndefined();
    await client.setFinalizers({ metadata: { name: 'missing', namespace: 'default' } }, [ours]);
  });
});

describe('createFinalizerClient with a guard', () => {
  it('patches through the guard while it holds, and a replaced leader patches nothing; reads still pass', async () => {
    const config = await kubeConfig();
    const core = config.makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'fenced', finalizers: [theirs] } },
    });
    const leading = scriptedGuard([true]);
    const admitted = createFinalizerClient(config, configMaps, { guard: leading });
    await admitted.setFinalizers(created, [theirs, ours]);
    // Asked when the patch was built and again when it went out; the read before it was not asked.
    expect(leading.calls).toBe(2);
    expect(leading.inFlight).toBe(0);

    const replaced = createFinalizerClient(config, configMaps, { guard: scriptedGuard([false]) });
    const current = await replaced.get(created);
    expect(current?.metadata?.finalizers).toEqual([theirs, ours]);
    const refused = await replaced.setFinalizers(current ?? {}, [theirs]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LeadershipLostError);
    expect(refused).toMatchObject({ code: 'KI_LEADERSHIP_LOST' });
    const after = await core.readNamespacedConfigMap({ namespace: 'default', name: 'fenced' });
    expect(after.metadata?.finalizers).toEqual([theirs, ours]);
    expect(after.metadata?.resourceVersion).toBe(current?.metadata?.resourceVersion);
  });
});
